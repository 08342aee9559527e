using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace KubeAudit.Core.Stores.ClickHouse;

/// <summary>Reads ClickHouse's error answers. 18.16 and current releases both start them with <c>Code: N</c>.</summary>
internal static partial class ClickHouseErrors
{
    // TIMEOUT_EXCEEDED, SOCKET_TIMEOUT, NETWORK_ERROR, TOO_MANY_SIMULTANEOUS_QUERIES, MEMORY_LIMIT_EXCEEDED, TABLE_IS_READ_ONLY,
    // TOO_MANY_PARTS, UNKNOWN_STATUS_OF_INSERT, ALL_CONNECTION_TRIES_FAILED, KEEPER_EXCEPTION.
    private static readonly HashSet<int> s_transient = [159, 209, 210, 202, 241, 242, 252, 319, 279, 999];

    // UNKNOWN_USER, WRONG_PASSWORD, REQUIRED_PASSWORD, IP_ADDRESS_NOT_ALLOWED, AUTHENTICATION_FAILED (current releases).
    private static readonly HashSet<int> s_authentication = [192, 193, 194, 195, 516];

    public static int? Code(string body)
    {
        var m = CodePattern().Match(body);
        return m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    public static bool IsAuthentication(HttpStatusCode status, int? code) =>
        status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden && code is null || code is { } c && s_authentication.Contains(c);

    public static bool IsRetryable(HttpStatusCode status, int? code)
    {
        if (code is { } c)
        {
            return s_transient.Contains(c);
        }

        return status is HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable
            or HttpStatusCode.GatewayTimeout || (int)status >= 500;
    }

    [GeneratedRegex(@"^\s*Code:\s*(\d+)")]
    private static partial Regex CodePattern();
}
