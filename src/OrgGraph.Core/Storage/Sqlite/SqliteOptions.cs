using System.ComponentModel.DataAnnotations;

namespace OrgGraph.Storage.Sqlite;

/// <summary>Settings of the embedded SQLite store (section <c>Storage:Sqlite</c>).</summary>
public sealed class SqliteOptions
{
    public const string Section = "Storage:Sqlite";

    /// <summary>Path of the database file; created with its directory if missing. Default <c>data/orggraph.db</c> under the working directory.</summary>
    [Required]
    public string Path { get; set; } = System.IO.Path.Combine("data", "orggraph.db");

    /// <summary>
    /// How long a write waits for another process's write (an import) to finish before it is refused with a clear error
    /// (whole seconds, at least 1). Default 30 s.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
