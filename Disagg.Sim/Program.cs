using Disagg.Sim.Cli;

return await SimApp.RunAsync(args).ConfigureAwait(false);
