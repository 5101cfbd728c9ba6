using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OrgGraph.Importing.Money;

/// <summary>
/// Where each value of a JSON document starts (1-based line and byte column, as System.Text.Json reports parse errors),
/// keyed by its path (<c>releases[0].awards[0].value.amount</c>), so a value that parses but makes no sense can be
/// reported at its place in the file.
/// </summary>
internal sealed class JsonPositions
{
    private readonly Dictionary<string, (int Line, int Column)> _positions = new(StringComparer.Ordinal);

    private JsonPositions()
    {
    }

    /// <summary>Maps a document that has already parsed (call after <c>JsonNode.Parse</c> succeeds).</summary>
    public static JsonPositions Of(ReadOnlySpan<byte> json)
    {
        var map = new JsonPositions();
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < json.Length; i++)
        {
            if (json[i] == (byte)'\n')
            {
                lineStarts.Add(i + 1);
            }
        }

        var frames = new List<Frame>();
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    frames[^1].Name = reader.GetString();
                    continue;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    frames.RemoveAt(frames.Count - 1);
                    Advance(frames);
                    continue;
            }

            var offset = (int)reader.TokenStartIndex;
            var line = lineStarts.BinarySearch(offset);
            line = line >= 0 ? line : ~line - 1;
            map._positions[PathOf(frames)] = (line + 1, offset - lineStarts[line] + 1);
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                frames.Add(new Frame { IsArray = reader.TokenType == JsonTokenType.StartArray });
            }
            else
            {
                Advance(frames);
            }
        }

        return map;
    }

    /// <summary>The position of the value at <paramref name="path"/>, else of the nearest enclosing value (a missing field is reported at its object).</summary>
    public (int Line, int Column) At(string path)
    {
        while (true)
        {
            if (_positions.TryGetValue(path, out var position))
            {
                return position;
            }

            var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            if (cut <= 0)
            {
                return _positions.GetValueOrDefault("", (1, 1));
            }

            path = path[..cut];
        }
    }

    private static void Advance(List<Frame> frames)
    {
        if (frames.Count > 0 && frames[^1].IsArray)
        {
            frames[^1].Index++;
        }
    }

    private static string PathOf(List<Frame> frames)
    {
        var path = new StringBuilder();
        foreach (var frame in frames)
        {
            if (frame.IsArray)
            {
                path.Append('[').Append(frame.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
            else
            {
                path.Append(path.Length > 0 ? "." : "").Append(frame.Name);
            }
        }

        return path.ToString();
    }

    private sealed class Frame
    {
        public bool IsArray { get; init; }
        public int Index { get; set; }
        public string? Name { get; set; }
    }
}
