using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OrgGraph.Api.Writes;

/// <summary>
/// Checks of write input. Each failure is an INVALID_ARGUMENT naming the field, thrown before anything is read
/// from or written to the store.
/// </summary>
internal static partial class WriteValidation
{
    public const int MaxIdLength = 100;
    public const int MaxNameLength = 300;
    public const int MaxTextLength = 1_000;
    public const int MaxUrlLength = 2_048;
    public const int MaxSourceUrls = 20;
    public const int MaxProperties = 50;

    /// <summary>Ids as the graph uses them: ODS and ONS codes, <c>CH:05057581</c>, slugs such as <c>centene-corporation</c>.</summary>
    public static string Id(string? value, string field)
    {
        var id = value?.Trim() ?? "";
        if (id.Length == 0)
        {
            throw WriteInputError.Invalid(field, "must not be empty.");
        }

        if (id.Length > MaxIdLength)
        {
            throw WriteInputError.Invalid(field, $"is {id.Length} characters long; at most {MaxIdLength} are allowed.");
        }

        return IdPattern().IsMatch(id)
            ? id
            : throw WriteInputError.Invalid(field, "may hold only letters, digits, ':', '.', '_' and '-', and must start with a letter or digit.");
    }

    /// <summary>Required text: trimmed, not empty, no control characters, at most <paramref name="max"/> characters.</summary>
    public static string Text(string? value, string field, int max) =>
        OptionalText(value, field, max) ?? throw WriteInputError.Invalid(field, "must not be empty.");

    public static string? OptionalText(string? value, string field, int max)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (text.Length > max)
        {
            throw WriteInputError.Invalid(field, $"is {text.Length} characters long; at most {max} are allowed.");
        }

        return text.Any(char.IsControl) ? throw WriteInputError.Invalid(field, "must not contain control characters.") : text;
    }

    /// <summary>A period whose end is not before its start.</summary>
    public static void Period(DateOnly? from, DateOnly? to, string toField)
    {
        if (from is { } f && to is { } t && t < f)
        {
            throw WriteInputError.Invalid(toField, $"({t:yyyy-MM-dd}) must not be before validFrom ({f:yyyy-MM-dd}).");
        }
    }

    /// <summary>An absolute http(s) URL, normalised (scheme and host lower-case, escaped).</summary>
    public static string Url(string? value, string field)
    {
        var text = value?.Trim() ?? "";
        if (text.Length == 0)
        {
            throw WriteInputError.Invalid(field, "must not be empty.");
        }

        if (text.Length > MaxUrlLength)
        {
            throw WriteInputError.Invalid(field, $"is {text.Length} characters long; at most {MaxUrlLength} are allowed.");
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0 && !text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            ? uri.AbsoluteUri
            : throw WriteInputError.Invalid(field, "must be an absolute http or https URL.");
    }

    /// <summary>One to <see cref="MaxSourceUrls"/> distinct URLs: every write is backed by a source.</summary>
    public static IReadOnlyList<string> SourceUrls(IReadOnlyList<string>? values, string field)
    {
        if (values is not { Count: > 0 })
        {
            throw WriteInputError.Invalid(field, "must name at least one source: every fact in the graph is backed by one.");
        }

        if (values.Count > MaxSourceUrls)
        {
            throw WriteInputError.Invalid(field, $"has {values.Count} URLs; at most {MaxSourceUrls} are allowed.");
        }

        return [.. values.Select((url, i) => Url(url, $"{field}[{i}]")).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The properties as the JSON object the stores keep, or null when none were given (keep what is there).</summary>
    public static string? Properties(IReadOnlyList<PropertyInput>? properties, string field)
    {
        if (properties is null)
        {
            return null;
        }

        if (properties.Count > MaxProperties)
        {
            throw WriteInputError.Invalid(field, $"has {properties.Count} entries; at most {MaxProperties} are allowed.");
        }

        var json = new JsonObject();
        for (var i = 0; i < properties.Count; i++)
        {
            var p = properties[i];
            var at = $"{field}[{i}]";
            if (!PropertyKeyPattern().IsMatch(p.Key ?? ""))
            {
                throw WriteInputError.Invalid($"{at}.key", "must be 1-64 letters, digits or '_', starting with a letter.");
            }

            if (json.ContainsKey(p.Key!))
            {
                throw WriteInputError.Invalid($"{at}.key", $"'{p.Key}' is given twice.");
            }

            if ((p.Text is null ? 0 : 1) + (p.Number is null ? 0 : 1) + (p.Boolean is null ? 0 : 1) > 1)
            {
                throw WriteInputError.Invalid(at, "must give at most one of text, number and boolean.");
            }

            if (p.Number is { } n && !double.IsFinite(n))
            {
                throw WriteInputError.Invalid($"{at}.number", "must be a finite number.");
            }

            json[p.Key!] = p.Text is not null ? JsonValue.Create(OptionalText(p.Text, $"{at}.text", MaxTextLength) ?? "")
                : p.Number is { } number ? JsonValue.Create(number)
                : p.Boolean is { } flag ? JsonValue.Create(flag)
                : null;
        }

        return json.ToJsonString();
    }

    /// <summary>The id of the source a URL becomes: <c>url:</c> and the first 16 hex digits of the SHA-256 of the normalised URL.</summary>
    public static string SourceIdOf(string normalisedUrl) =>
        "url:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalisedUrl)))[..16];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9:._-]*$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,63}$")]
    private static partial Regex PropertyKeyPattern();
}
