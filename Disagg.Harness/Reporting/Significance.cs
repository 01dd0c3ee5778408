namespace Disagg.Harness.Reporting;

/// <summary>
/// How far a change stands out of its history's noise (<see cref="NoiseBand"/>): at least 3 sigmas is
/// <see cref="Significant"/>, 2 to 3 <see cref="Likely"/>, less <see cref="Noise"/>; <see cref="Unknown"/> without enough history.
/// </summary>
public enum Significance { Unknown, Noise, Likely, Significant }
