using KubeAudit.Core.Compliance;

namespace KubeAudit.Commands.Completion;

/// <summary>Completes the benchmark versions the catalog knows.</summary>
public sealed class BenchmarkCompleter() : ListCompleter([.. BenchmarkCatalog.Benchmarks]);
