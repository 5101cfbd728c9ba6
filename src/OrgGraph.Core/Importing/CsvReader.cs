using System.Text;

namespace OrgGraph.Importing;

/// <summary>One record of a CSV file, with the physical line it starts on (1-based).</summary>
internal sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// A strict RFC 4180 reader that keeps physical line numbers, so errors can say where a bad field is
/// even when earlier fields hold quoted newlines. Accepts a UTF-8 BOM and LF or CRLF line ends.
/// </summary>
internal static class CsvReader
{
    /// <summary>Reads every record; throws <see cref="CsvFormatException"/> on malformed quoting or invalid UTF-8.</summary>
    public static IEnumerable<CsvRecord> Read(Stream stream, string fileName)
    {
        // Invalid bytes decode to U+FFFD, which the loop reports at its own line and column (a throwing
        // decoder would fail a whole buffer ahead of the position being parsed).
        var decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
        using var reader = new StreamReader(stream, decoder, detectEncodingFromByteOrderMarks: true);
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
            var c = reader.Read();
            column++;
            if (c == '\uFFFD')
            {
                throw new CsvFormatException(fileName, line, column, "not valid UTF-8 (save the file as UTF-8; Windows-1252 and Latin-1 are not read)");
            }

            if (inQuotes)
            {
                if (c == -1)
                {
                    throw new CsvFormatException(fileName, recordLine, fieldStartColumn, "a quoted field is not closed before the end of the file");
                }

                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
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
                case '\r' when reader.Peek() == '\n':
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
