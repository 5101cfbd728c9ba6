using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace OrgGraph.Api.Writes;

/// <summary>
/// The API keys that may write (section <c>Auth</c>). There is no default key: with none configured every
/// mutation is refused. Keys are secrets — set them through environment variables or a secret store
/// (<c>Auth__ApiKeys__0__Id</c>, <c>Auth__ApiKeys__0__Key</c>), never in appsettings.json; they are never logged.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Shortest key accepted, so a guessable key cannot be configured by mistake.</summary>
    public const int MinKeyLength = 16;

    /// <summary>Longest key accepted.</summary>
    public const int MaxKeyLength = 512;

    /// <summary>Each key with the id that the audit trail records for its writes. Default: none (writes disabled).</summary>
    public List<ApiKeyOptions> ApiKeys { get; set; } = [];
}

/// <summary>One API key: <see cref="Id"/> is public (recorded with every write it makes), <see cref="Key"/> is the secret.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>A name for the key's holder, e.g. <c>newsroom</c>; 1–64 letters, digits, '.', '_' or '-'. Shown in the audit trail.</summary>
    public string Id { get; set; } = "";

    /// <summary>The secret, at least 16 characters; a random string such as <c>openssl rand -base64 32</c> gives.</summary>
    public string Key { get; set; } = "";
}

/// <summary>Checks the configured keys on start. Messages name a key by its position and id, never by its value.</summary>
internal sealed partial class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var (id, key) = (options.ApiKeys[i].Id ?? "", options.ApiKeys[i].Key ?? "");
            var where = $"Auth:ApiKeys:{i}";
            if (!IdPattern().IsMatch(id))
            {
                failures.Add($"{where}:Id must be 1-64 letters, digits, '.', '_' or '-'.");
            }
            else if (!ids.Add(id))
            {
                failures.Add($"{where}:Id '{id}' is used by another key.");
            }

            if (key.Length < AuthOptions.MinKeyLength || key.Length > AuthOptions.MaxKeyLength || key.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                failures.Add($"{where}:Key (id '{id}') must be {AuthOptions.MinKeyLength}-{AuthOptions.MaxKeyLength} characters without spaces or control characters.");
            }
            else if (!keys.Add(key))
            {
                failures.Add($"{where}:Key (id '{id}') is the same as another key's.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex IdPattern();
}
