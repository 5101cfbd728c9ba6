using System.Buffers;

namespace OrgGraph.Api.Http;

/// <summary>Reads a request body under the size limit (<c>GraphQL:MaxRequestBytes</c>) before anything parses it.</summary>
internal static class RequestBody
{
    /// <summary>The code of a request refused for its size (413 for a body, 414 for a GET's query string).</summary>
    public const string TooLargeCode = "REQUEST_TOO_LARGE";

    /// <summary>
    /// The whole body, or null when it is larger than <paramref name="limit"/> bytes: refused from its
    /// Content-Length without reading, or as soon as more than the limit has arrived (chunked bodies).
    /// </summary>
    public static async Task<MemoryStream?> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        var body = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk.AsMemory(), cancellationToken)) > 0)
            {
                if (body.Length + read > limit)
                {
                    await body.DisposeAsync();
                    return null;
                }

                body.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        body.Position = 0;
        return body;
    }

    /// <summary>Whether the body is a JSON array (a batch of operations), judged by its first significant byte.</summary>
    public static bool IsJsonArray(MemoryStream body)
    {
        var bytes = body.GetBuffer().AsSpan(0, (int)body.Length);
        if (bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        var start = bytes.IndexOfAnyExcept(" \t\r\n"u8);
        return start >= 0 && bytes[start] == (byte)'[';
    }
}
