using System.Globalization;
using System.Text;

namespace OrgGraph.Exporting;

/// <summary>
/// Cypher literals for parameter-free scripts, and splitting a script into its statements (so a test can lint
/// every statement of an export with Neo4j's own parser, and a tool can send them one by one).
/// </summary>
public static class CypherScript
{
    /// <summary>
    /// A single-quoted Cypher string literal. Backslash and single quote are escaped; so is every character a line
    /// reader or a Cypher lexer could take for something else (control characters, U+0085, U+2028, U+2029, lone
    /// surrogates), as <c>\uXXXX</c>, so a literal never spans lines. Other characters, non-ASCII included, are
    /// written as they are (scripts are UTF-8). Null is <c>null</c>.
    /// </summary>
    public static string Literal(string? value)
    {
        if (value is null)
        {
            return "null";
        }

        var sb = new StringBuilder(value.Length + 2).Append('\'');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '\\':
                    sb.Append(@"\\");
                    break;
                case '\'':
                    sb.Append(@"\'");
                    break;
                case '\n':
                    sb.Append(@"\n");
                    break;
                case '\r':
                    sb.Append(@"\r");
                    break;
                case '\t':
                    sb.Append(@"\t");
                    break;
                case '\u0085' or '\u2028' or '\u2029':
                    Escape(sb, c);
                    break;
                case var _ when char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]):
                    sb.Append(c).Append(value[++i]);
                    break;
                case var _ when char.IsControl(c) || char.IsSurrogate(c):
                    Escape(sb, c);
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        return sb.Append('\'').ToString();
    }

    /// <summary>A list of string literals: <c>['a', 'b']</c>.</summary>
    public static string List(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(Literal)) + "]";

    /// <summary>A float literal (always with a decimal point or exponent, so Neo4j stores a float).</summary>
    public static string Float(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.') || text.Contains('E') ? text : text + ".0";
    }

    /// <summary>
    /// The statements of a script, without their terminating <c>;</c>, trimmed. A <c>;</c> ends a statement only
    /// outside string literals (single- or double-quoted, with backslash escapes), backtick-quoted names and
    /// comments; <c>//</c> and <c>/* */</c> comments are dropped. Empty statements are skipped.
    /// </summary>
    public static IReadOnlyList<string> Split(string script)
    {
        var statements = new List<string>();
        var current = new StringBuilder();
        var i = 0;

        void Finish()
        {
            var statement = current.ToString().Trim();
            if (statement.Length > 0)
            {
                statements.Add(statement);
            }

            current.Clear();
        }

        while (i < script.Length)
        {
            var c = script[i];
            var next = i + 1 < script.Length ? script[i + 1] : '\0';
            if (c is '\'' or '"' or '`')
            {
                var end = QuotedEnd(script, i);
                current.Append(script, i, end - i);
                i = end;
            }
            else if (c == '/' && next == '/')
            {
                var end = script.IndexOf('\n', i);
                i = end < 0 ? script.Length : end;
            }
            else if (c == '/' && next == '*')
            {
                var end = script.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? script.Length : end + 2;
                current.Append(' ');
            }
            else if (c == ';')
            {
                Finish();
                i++;
            }
            else
            {
                current.Append(c);
                i++;
            }
        }

        Finish();
        return statements;
    }

    /// <summary>The index just after the quoted text starting at <paramref name="start"/> (the end of the script if it is not closed).</summary>
    private static int QuotedEnd(string script, int start)
    {
        var quote = script[start];
        for (var i = start + 1; i < script.Length; i++)
        {
            if (quote != '`' && script[i] == '\\')
            {
                i++;
            }
            else if (script[i] == quote)
            {
                // A backtick-quoted name escapes a backtick by doubling it.
                if (quote == '`' && i + 1 < script.Length && script[i + 1] == '`')
                {
                    i++;
                    continue;
                }

                return i + 1;
            }
        }

        return script.Length;
    }

    private static void Escape(StringBuilder sb, char c) => sb.Append(@"\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
}
