namespace Disagg.Sim.MpiWorker;

/// <summary>What one MPI rank of <c>disaggregated_mpi_worker</c> is: a rank of instance <paramref name="Instance"/> of its role.</summary>
/// <param name="Role">ctx or gen.</param>
/// <param name="LocalRank">Its rank inside the instance; local rank 0 serves the instance's URL, the others hold their GPUs.</param>
internal sealed record MpiRank(string Role, int Instance, int LocalRank, string Url)
{
    public bool Serves => LocalRank == 0;
}
