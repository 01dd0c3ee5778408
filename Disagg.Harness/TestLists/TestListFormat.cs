using Disagg.Harness.Configuration;

namespace Disagg.Harness.TestLists;

public enum TestListFormat { Native, TestDb }
