using System.Globalization;
using System.Text.RegularExpressions;
using KubeAudit.Core.Events.Filtering;

namespace KubeAudit.Core.Detections.Yaml;

/// <summary>A compiled rule condition: a test of one event.</summary>
internal abstract class Condition
{
    public abstract bool Test(AuditEvent ev);

    /// <summary>All of the parts hold (a condition mapping).</summary>
    public sealed class All(IReadOnlyList<Condition> parts) : Condition
    {
        public IReadOnlyList<Condition> Parts { get; } = parts;

        public override bool Test(AuditEvent ev)
        {
            foreach (var part in Parts)
            {
                if (!part.Test(ev))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>One of the parts holds (<c>any:</c>).</summary>
    public sealed class Any(IReadOnlyList<Condition> parts) : Condition
    {
        public override bool Test(AuditEvent ev) => parts.Any(p => p.Test(ev));
    }

    /// <summary>The part does not hold (<c>not:</c> at condition level).</summary>
    public sealed class Not(Condition part) : Condition
    {
        public override bool Test(AuditEvent ev) => !part.Test(ev);
    }

    /// <summary>The values at a path satisfy a matcher.</summary>
    public sealed class AtPath(EventPath path, Matcher matcher) : Condition
    {
        public EventPath Path { get; } = path;

        public Matcher Matcher { get; } = matcher;

        public override bool Test(AuditEvent ev) => Matcher.Test(Path.Read(ev));
    }
}

/// <summary>A test of the values found at a path (none when the path is absent, several through arrays).</summary>
internal abstract class Matcher
{
    public abstract bool Test(IEnumerable<string?> values);

    /// <summary>Some value matches one of the wildcard patterns (case-insensitive); a null pattern matches an absent value.</summary>
    public sealed class Like(IReadOnlyList<string?> patterns) : Matcher
    {
        private readonly Glob[] _globs = patterns.Where(p => p is not null).Select(p => new Glob(p!)).ToArray();
        private readonly bool _matchesAbsent = patterns.Any(p => p is null);

        public override bool Test(IEnumerable<string?> values)
        {
            var any = false;
            foreach (var value in values)
            {
                any = true;
                if (value is null ? _matchesAbsent : _globs.Any(g => g.IsMatch(value)))
                {
                    return true;
                }
            }

            return !any && _matchesAbsent;
        }
    }

    /// <summary>The path has (or has not) a non-null value.</summary>
    public sealed class Exists(bool wanted) : Matcher
    {
        public override bool Test(IEnumerable<string?> values) => values.Any(v => v is not null) == wanted;
    }

    /// <summary>Some value contains the text (case-insensitive).</summary>
    public sealed class Contains(string text) : Matcher
    {
        public override bool Test(IEnumerable<string?> values) => values.Any(v => v is not null && v.Contains(text, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Some value matches the regular expression.</summary>
    public sealed class Matches(Regex regex) : Matcher
    {
        public override bool Test(IEnumerable<string?> values) => values.Any(v => v is not null && regex.IsMatch(v));
    }

    /// <summary>Some value is a number that compares as asked with the bound.</summary>
    public sealed class Compare(string op, double bound) : Matcher
    {
        public override bool Test(IEnumerable<string?> values) => values.Any(v =>
            double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && op switch
            {
                "gt" => x > bound,
                "gte" => x >= bound,
                "lt" => x < bound,
                _ => x <= bound,
            });
    }

    /// <summary>The inner matcher does not hold.</summary>
    public sealed class Not(Matcher inner) : Matcher
    {
        public override bool Test(IEnumerable<string?> values) => !inner.Test(values);
    }

    /// <summary>All the inner matchers hold (several operators in one mapping).</summary>
    public sealed class All(IReadOnlyList<Matcher> parts) : Matcher
    {
        public override bool Test(IEnumerable<string?> values)
        {
            var list = values as IReadOnlyCollection<string?> ?? values.ToList();
            return parts.All(p => p.Test(list));
        }
    }
}
