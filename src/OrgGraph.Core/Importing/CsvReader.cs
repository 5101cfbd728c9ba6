using System.Text;

namespace OrgGraph.Importing;

/// <summary>One record of a CSV file, with the physical line it starts on (1-based).</summary>
internal sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// A strict RFC 4180 reader that keeps physical line numbers, so errors can say where a bad field is
/// even when earlier fields hold quoted newlines. Accepts a UTF-8 BOM and LF or CRLF line ends; refuses other encodings.
/// </summary>
internal static class CsvReader
{
    /// <summary>UTF-8 as the files must be: invalid bytes throw <see cref="DecoderFallbackException"/> rather than decoding to U+FFFD.</summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads every record; throws <see cref="CsvFormatException"/> on malformed quoting or text that is not UTF-8.</summary>
    public static IEnumerable<CsvRecord> Read(Stream stream, string fileName) => Parse(Decode(stream, fileName), fileName);

    /// <summary>
    /// The file's text. A UTF-8 BOM is skipped; a UTF-16 (or UTF-32) BOM is refused, as are bytes that are not UTF-8, at the
    /// line and column where they start. (U+FFFD written as UTF-8 is an ordinary character.)
    /// </summary>
    private static string Decode(Stream stream, string fileName)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (bytes is [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..])
        {
            throw new CsvFormatException(fileName, 1, 1, "the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8");
        }

        if (bytes is [0xEF, 0xBB, 0xBF, ..])
        {
            bytes = bytes[3..];
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            // Everything before the first invalid byte is valid UTF-8: locate it by the text it decodes to.
            var before = StrictUtf8.GetString(bytes[..Math.Clamp(e.Index, 0, bytes.Length)]);
            var lastLine = before.LastIndexOf('\n');
            throw new CsvFormatException(fileName, 1 + before.Count(c => c == '\n'), before.Length - lastLine,
                "not valid UTF-8 (save the file as UTF-8; Windows-1252 and Latin-1 are not read)");
        }
    }

    /// <summary>Reads the text character by character (indexing the string: a <see cref="TextReader"/> call per character cost more than the parsing).</summary>
    private static IEnumerable<CsvRecord> Parse(string text, string fileName)
    {
        var at = 0;
        int Read() => at < text.Length ? text[at++] : -1;
        int Peek() => at < text.Length ? text[at] : -1;
        var line = 1;
        var recordLine = 1;
        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var fieldWasQuoted = false;
        var fieldStartColumn = 1;
        var column = 0;

        while (true)
        {
            var c = Read();
            column++;
            if (inQuotes)
            {
                if (c == -1)
                {
                    throw new CsvFormatException(fileName, recordLine, fieldStartColumn, "a quoted field is not closed before the end of the file");
                }

                if (c == '"')
                {
                    if (Peek() == '"')
                    {
                        Read();
                        column++;
                        field.Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                        column = 0;
                    }

                    field.Append((char)c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0 && !fieldWasQuoted:
                    inQuotes = true;
                    fieldWasQuoted = true;
                    break;
                case '"':
                    throw new CsvFormatException(fileName, line, column, "a quote inside an unquoted field (quote the whole field and double the quote)");
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldWasQuoted = false;
                    fieldStartColumn = column + 1;
                    break;
                case '\r' when Peek() == '\n':
                    break;
                case '\n' or -1:
                    var blank = fields.Count == 0 && field.Length == 0 && !fieldWasQuoted;
                    if (!blank)
                    {
                        fields.Add(field.ToString());
                        yield return new CsvRecord(recordLine, fields.ToArray());
                    }

                    if (c == -1)
                    {
                        yield break;
                    }

                    fields.Clear();
                    field.Clear();
                    fieldWasQuoted = false;
                    line++;
                    recordLine = line;
                    column = 0;
                    fieldStartColumn = 1;
                    break;
                default:
                    if (fieldWasQuoted)
                    {
                        throw new CsvFormatException(fileName, line, column, "text after the closing quote of a quoted field");
                    }

                    field.Append((char)c);
                    break;
            }
        }
    }
}

/// <summary>A problem in an input file, located by file, line and column (both 1-based).</summary>
public sealed class CsvFormatException(string file, int line, int column, string reason)
    : Exception($"{file}:{line}:{column}: {reason}")
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public int Column { get; } = column;
    public string Reason { get; } = reason;
}
