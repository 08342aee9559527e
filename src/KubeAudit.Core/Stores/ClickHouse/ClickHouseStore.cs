using System.Globalization;
using System.Net;
using System.Text;
using KubeAudit.Core.Events;
using KubeAudit.Core.Events.Filtering;

namespace KubeAudit.Core.Stores.ClickHouse;

/// <summary>
/// ClickHouse over its HTTP interface with a plain HttpClient: <c>INSERT … FORMAT RowBinary</c> to write, SELECT with the
/// filter compiled into WHERE, streamed back as TabSeparated, to read. ClickHouse.Driver is not used: it targets current
/// releases (query parameters, newer types and settings) and 18.16, which Debian ships, answers only the basic protocol.
/// </summary>
public sealed class ClickHouseStore : IAuditStoreWriter, IAuditStoreReader
{
    private static readonly string s_columnList = string.Join(", ", ClickHouseSchema.Columns.Select(c => $"`{c}`"));

    private readonly StoreConnection _connection;
    private readonly HttpClient _http;
    private readonly string? _database;
    private readonly string _table;
    // Row buffers, one per slice of a batch; several slices (and batches) are written at once on worker threads.
    private readonly System.Collections.Concurrent.ConcurrentBag<ClickHouseRows> _rowsPool = [];

    /// <summary>Opens a store at <see cref="StoreConnection.Uri"/> writing into and reading from <see cref="StoreConnection.Target"/>.</summary>
    public ClickHouseStore(StoreConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection.ApiKey is not null)
        {
            throw new ArgumentException("ClickHouse takes a user name and password (-Credential), not an API key.", nameof(connection));
        }

        _connection = connection;
        (_database, _table) = ClickHouseSchema.ParseTarget(connection.Target);
        _http = StoreHttp.CreateClient(connection);
    }

    /// <inheritdoc />
    public async Task CreateSchemaAsync(CancellationToken cancel)
    {
        if (_database is not null)
        {
            await ExecuteAsync("CREATE DATABASE IF NOT EXISTS " + _database, cancel).ConfigureAwait(false);
        }

        await ExecuteAsync(ClickHouseSchema.CreateTable(_table), cancel).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<SendOutcome> SendAsync(IReadOnlyList<AuditEvent> batch, CancellationToken cancel)
    {
        // The rows of a large batch are written in slices in parallel (on worker threads)
        // and sent one after the other as one body, in batch order.
        var slices = (batch.Count + SliceSize - 1) / SliceSize;
        var parts = new ClickHouseRows[slices];
        var failures = new List<StoreItemError>?[slices];
        try
        {
            Parallel.For(0, slices, new ParallelOptions { CancellationToken = cancel }, slice =>
            {
                var rows = _rowsPool.TryTake(out var pooled) ? pooled : new ClickHouseRows();
                rows.Clear();
                parts[slice] = rows;
                var end = Math.Min(batch.Count, (slice + 1) * SliceSize);
                for (var i = slice * SliceSize; i < end; i++)
                {
                    var e = batch[i];
                    if (!rows.TryAdd(e, out var problem))
                    {
                        (failures[slice] ??= []).Add(new StoreItemError(e, "The event cannot be written as a RowBinary row: " + problem, 400, Retryable: false));
                    }
                }
            });

            var failed = failures.Where(f => f is not null).SelectMany(f => f!).ToList();
            var accepted = batch.Count - failed.Count;
            if (accepted > 0)
            {
                var query = $"INSERT INTO {_table} ({s_columnList}) FORMAT RowBinary";
                using var content = new RowsContent(parts);
                await PostAsync(query, content, cancel).ConfigureAwait(false);
            }

            return new SendOutcome(accepted, failed);
        }
        finally
        {
            foreach (var rows in parts)
            {
                if (rows is not null)
                {
                    rows.Clear();
                    _rowsPool.Add(rows);
                }
            }
        }
    }

    private const int SliceSize = 5000;

    // The slices' rows as one request body, written in order without copying them together.
    private sealed class RowsContent(ClickHouseRows[] parts) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            await SerializeToStreamAsync(stream, context, CancellationToken.None).ConfigureAwait(false);

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
        {
            foreach (var part in parts)
            {
                await stream.WriteAsync(part.Written, cancellationToken).ConfigureAwait(false);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = parts.Sum(p => (long)p.Written.Length);
            return true;
        }
    }

    /// <inheritdoc />
    public IEnumerable<AuditLogRecord> Query(AuditEventFilter filter, CancellationToken cancel)
    {
        var sql = $"SELECT `source`, `line`, `event` FROM {_table} FINAL WHERE {ClickHouseSql.Where(filter)} ORDER BY `timeMicros`, `source`, `line` FORMAT TabSeparated";
        return Stream(sql, cancel);
    }

    /// <inheritdoc />
    public long Count(AuditEventFilter filter, CancellationToken cancel)
    {
        var text = ExecuteAsync($"SELECT count() FROM {_table} FINAL WHERE {ClickHouseSql.Where(filter)}", cancel).GetAwaiter().GetResult();
        return long.Parse(text.Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>Runs one statement and returns its text answer.</summary>
    public async Task<string> ExecuteAsync(string sql, CancellationToken cancel)
    {
        using var content = new StringContent(sql, Encoding.UTF8, "text/plain");
        return await PostAsync(null, content, cancel).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private async Task<string> PostAsync(string? query, HttpContent content, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Address(query)) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancel).ConfigureAwait(false);
        }
        catch (Exception ex) when (StoreHttp.IsNoAnswer(ex, cancel))
        {
            throw StoreHttp.NoAnswer(_connection.Uri, ex);
        }

        using (response)
        {
            string body;
            try
            {
                body = await response.Content.ReadAsStringAsync(cancel).ConfigureAwait(false);
            }
            catch (Exception ex) when (StoreHttp.IsNoAnswer(ex, cancel))
            {
                throw StoreHttp.NoAnswer(_connection.Uri, ex);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw Failure(response.StatusCode, body);
            }

            return body;
        }
    }

    private IEnumerable<AuditLogRecord> Stream(string sql, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Address(null)) { Content = new StringContent(sql, Encoding.UTF8, "text/plain") };
        HttpResponseMessage response;
        try
        {
            response = _http.Send(request, HttpCompletionOption.ResponseHeadersRead, cancel);
        }
        catch (Exception ex) when (StoreHttp.IsNoAnswer(ex, cancel))
        {
            throw StoreHttp.NoAnswer(_connection.Uri, ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw Failure(response.StatusCode, response.Content.ReadAsStringAsync(cancel).GetAwaiter().GetResult());
            }

            using var body = response.Content.ReadAsStream(cancel);
            var parser = new AuditEventParser();
            foreach (var line in TabSeparated.Lines(body, cancel))
            {
                var fields = TabSeparated.Split(line);
                if (fields.Count != 3)
                {
                    // ClickHouse reports an error met while streaming as text after the rows it sent.
                    throw new StoreException("ClickHouse stopped the query: " + Encoding.UTF8.GetString(line).Trim(), 500, retryable: false);
                }

                var source = Encoding.UTF8.GetString(fields[0]);
                var lineNumber = long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
                var ev = parser.Parse(fields[2], source.Length == 0 ? null : source, lineNumber, out var error);
                yield return new AuditLogRecord(ev, error is null ? null : error with { Message = "A stored document is not an audit event: " + error.Message });
            }
        }
    }

    private Uri Address(string? query)
    {
        var builder = new UriBuilder(_connection.Uri);
        var parameters = new List<string>();
        if (query is not null)
        {
            parameters.Add("query=" + Uri.EscapeDataString(query));
        }

        builder.Query = string.Join("&", parameters);
        return builder.Uri;
    }

    // ClickHouse answers errors as "Code: N, e.displayText() = ...": only transient codes are worth a retry.
    private StoreException Failure(HttpStatusCode status, string body)
    {
        var code = ClickHouseErrors.Code(body);
        var text = body.Trim();
        if (text.Length > 2000)
        {
            text = text[..2000] + "…";
        }

        var message = ClickHouseErrors.IsAuthentication(status, code)
            ? $"ClickHouse at {_connection.Uri} refused the credentials ({(_connection.UserName is null ? "no user given" : "user '" + _connection.UserName + "'")}): {text}"
            : $"ClickHouse at {_connection.Uri} answered {(int)status}: {text}";
        return new StoreException(message, (int)status, ClickHouseErrors.IsRetryable(status, code));
    }
}
