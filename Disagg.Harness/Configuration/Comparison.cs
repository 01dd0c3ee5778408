using System.Globalization;

namespace Disagg.Harness.Configuration;

public enum Comparison { AtMost, AtLeast }
