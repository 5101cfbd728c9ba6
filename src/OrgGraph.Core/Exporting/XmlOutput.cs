using System.Text;
using System.Xml;

namespace OrgGraph.Exporting;

/// <summary>Shared XML plumbing for GraphML and GEXF: an indented UTF-8 writer and text made safe for XML 1.0.</summary>
internal static class XmlOutput
{
    public static XmlWriter Create(TextWriter output) => XmlWriter.Create(output, new XmlWriterSettings
    {
        Indent = true,
        IndentChars = "  ",
        NewLineChars = "\n",
        NewLineHandling = NewLineHandling.Entitize,
        Encoding = ExportValues.Utf8,
        CheckCharacters = true,
        CloseOutput = false,
    });

    /// <summary>
    /// The text with every character XML 1.0 cannot carry (control characters other than tab and line breaks, lone
    /// surrogates, U+FFFE, U+FFFF) replaced by U+FFFD; XML has no escape for them.
    /// </summary>
    public static string Text(string value)
    {
        StringBuilder? sb = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var ok = XmlConvert.IsXmlChar(c) || (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]));
            if (ok && char.IsHighSurrogate(c))
            {
                sb?.Append(c).Append(value[i + 1]);
                i++;
                continue;
            }

            if (!ok && sb is null)
            {
                sb = new StringBuilder(value.Length).Append(value, 0, i);
            }

            sb?.Append(ok ? c : '\uFFFD');
        }

        return sb?.ToString() ?? value;
    }

    /// <summary>Whitespace collapsed, for attributes typed <c>xs:token</c> (GEXF labels); the exact text is in an attribute value.</summary>
    public static string Token(string value) => string.Join(' ', Text(value).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
