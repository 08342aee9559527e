using System.Text;
using System.Text.Json;
using KubeAudit.Core.Events.Filtering;

namespace KubeAudit.Core.Stores.Elasticsearch;

/// <summary>
/// Elasticsearch (7.10+, 8.x, 9.x) and OpenSearch (1.x to 3.x) over their REST APIs: sends ECS documents with _bulk into
/// an index or data stream, creates the index template, and queries with the filters compiled into a bool query, reading
/// events back from <c>event.original</c>.
/// </summary>
public sealed partial class ElasticsearchStore : IAuditStoreWriter, IAuditStoreReader
{
    private static readonly MediaTypeHeaderValueHolder s_ndjson = new("application/x-ndjson");
    private static readonly MediaTypeHeaderValueHolder s_json = new("application/json");
    private readonly StoreConnection _connection;
    private readonly HttpClient _http;
    private readonly string _target;

    /// <summary>Connects to the store at <paramref name="connection"/> (engine Elasticsearch or OpenSearch).</summary>
    public ElasticsearchStore(StoreConnection connection)
        : this(connection, ElasticsearchHttp.Create(connection))
    {
    }

    internal ElasticsearchStore(StoreConnection connection, HttpClient http)
    {
        if (connection.Engine is not (StoreEngine.Elasticsearch or StoreEngine.OpenSearch))
        {
            throw new ArgumentException($"ElasticsearchStore serves Elasticsearch and OpenSearch, not {connection.Engine}.", nameof(connection));
        }

        if (string.IsNullOrWhiteSpace(connection.Target))
        {
            throw new ArgumentException("An index or data stream name is needed.", nameof(connection));
        }

        _connection = connection;
        _http = http;
        _target = connection.Target;
    }

    /// <summary>How many hits one search page asks for.</summary>
    public int PageSize { get; init; } = 1000;

    private string TargetPath => Uri.EscapeDataString(_target);

    /// <inheritdoc />
    public async Task CreateSchemaAsync(CancellationToken cancel)
    {
        var name = IndexTemplate.NameFor(_target);
        var templatePath = "_index_template/" + Uri.EscapeDataString(name);
        var (status, body) = await SendAsync(HttpMethod.Head, templatePath, null, null, "read the index template", cancel).ConfigureAwait(false);
        if (status == 404)
        {
            (status, body) = await SendAsync(HttpMethod.Put, templatePath, Encoding.UTF8.GetBytes(IndexTemplate.For(_target)), s_json, "create the index template", cancel).ConfigureAwait(false);
            EnsureSuccess(status, body, "create the index template", name);
        }
        else
        {
            EnsureSuccess(status, body, "read the index template", name);
        }

        // The data stream or index itself, so a cluster that does not create them on first write still takes the batch.
        var dataStream = IndexTemplate.IsDataStream(_target);
        var what = dataStream ? "create the data stream" : "create the index";
        (status, body) = await SendAsync(HttpMethod.Put, (dataStream ? "_data_stream/" : string.Empty) + TargetPath, null, null, what, cancel).ConfigureAwait(false);
        if (status == 400 && body.Contains("already_exists_exception", StringComparison.Ordinal))
        {
            return;
        }

        EnsureSuccess(status, body, what, _target);
    }

    /// <inheritdoc />
    public async Task<SendOutcome> SendAsync(IReadOnlyList<AuditEvent> batch, CancellationToken cancel)
    {
        var request = BulkRequest.Build(batch);
        if (request.Sent.Count == 0)
        {
            return new SendOutcome(0, request.Unsendable);
        }

        using var message = new HttpRequestMessage(HttpMethod.Post, TargetPath + "/_bulk?filter_path=errors,items.*.status,items.*.error")
        {
            Content = Content(request.Body, s_ndjson),
        };
        using var response = await SendAsync(message, "send a batch", cancel).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancel).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (status is < 200 or >= 300)
        {
            throw ElasticsearchHttp.Failure(status, Encoding.UTF8.GetString(bytes), "send a batch to", _target);
        }

        return BulkResponse.Read(bytes, request.Sent, request.Unsendable);
    }

    /// <inheritdoc />
    public long Count(AuditEventFilter filter, CancellationToken cancel)
    {
        var body = "{\"query\":" + ElasticsearchQuery.ToJson(filter) + "}";
        using var doc = PostJson(TargetPath + "/_count", body, "count the events in", cancel);
        return doc.RootElement.GetProperty("count").GetInt64();
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static ReadOnlyMemoryContent Content(ReadOnlyMemory<byte> body, MediaTypeHeaderValueHolder type)
    {
        var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = type.Create();
        return content;
    }

    private static void EnsureSuccess(int status, string body, string action, string target)
    {
        if (status is < 200 or >= 300)
        {
            throw ElasticsearchHttp.Failure(status, body, action, target);
        }
    }

    private async Task<(int Status, string Body)> SendAsync(HttpMethod method, string path, byte[]? body, MediaTypeHeaderValueHolder? type, string action, CancellationToken cancel)
    {
        using var message = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            message.Content = new ByteArrayContent(body);
            message.Content.Headers.ContentType = type!.Create();
        }

        using var response = await SendAsync(message, action, cancel).ConfigureAwait(false);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancel).ConfigureAwait(false));
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, string action, CancellationToken cancel)
    {
        try
        {
            return await _http.SendAsync(message, cancel).ConfigureAwait(false);
        }
        catch (Exception ex) when (StoreHttp.IsNoAnswer(ex, cancel))
        {
            throw StoreHttp.NoAnswer(_connection.Uri, ex, action);
        }
    }

    // The synchronous path the reader streams on (Query and Count are not async in the contract).
    private JsonDocument PostJson(string path, string body, string action, CancellationToken cancel) =>
        SendJson(HttpMethod.Post, path, body, action, cancel, out _, out _)!;

    // The answer's JSON on success; otherwise throws, or (throwOnError false) gives null with the status and body.
    private JsonDocument? SendJson(HttpMethod method, string path, string? body, string action, CancellationToken cancel, out int status, out string? error, bool throwOnError = true)
    {
        error = null;
        using var message = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            message.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        HttpResponseMessage response;
        try
        {
            response = _http.Send(message, cancel);
        }
        catch (Exception ex) when (StoreHttp.IsNoAnswer(ex, cancel))
        {
            throw StoreHttp.NoAnswer(_connection.Uri, ex, action);
        }

        using (response)
        {
            status = (int)response.StatusCode;
            using var stream = response.Content.ReadAsStream(cancel);
            if (status is >= 200 and < 300)
            {
                return JsonDocument.Parse(stream);
            }

            using var reader = new StreamReader(stream, Encoding.UTF8);
            error = reader.ReadToEnd();
            if (!throwOnError)
            {
                return null;
            }

            throw ElasticsearchHttp.Failure(status, error, action, _target);
        }
    }

    private sealed class MediaTypeHeaderValueHolder(string mediaType)
    {
        public System.Net.Http.Headers.MediaTypeHeaderValue Create() => new(mediaType);
    }
}
