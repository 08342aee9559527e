using System.Runtime.CompilerServices;

// Only the core reader builds these objects; users see them read-only.
[assembly: InternalsVisibleTo("KubeAudit.Core")]
[assembly: InternalsVisibleTo("KubeAudit.Core.Tests")]
