using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using OrgGraph.Storage.Sqlite;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Durability;

/// <summary>A temporary directory holding a copy of the seeded template database, deleted on dispose.</summary>
internal sealed class SeededCopy : IDisposable
{
    private SeededCopy(string directory) => Directory = directory;

    public string Directory { get; }

    public string Database => Path.Combine(Directory, "store.db");

    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>
    /// A copy of the seed template in WAL mode with the current schema, closed, so its main file is what every later
    /// open starts from (and can be compared byte for byte).
    /// </summary>
    public static async Task<SeededCopy> CreateAsync()
    {
        var copy = new SeededCopy(System.IO.Directory.CreateTempSubdirectory("orggraph-durability-").FullName);
        await CopyTemplateAsync(copy.Database);
        return copy;
    }

    /// <summary>Another prepared copy of the template, e.g. to apply batches one after the other and compare.</summary>
    public static async Task<string> CopyTemplateAsync(string path)
    {
        File.Copy(await SeededApp.TemplateAsync(), path);
        await using var connection = StoreState.Open(path);
        await using var command = connection.CreateCommand();
        command.CommandText = SqliteSchema.Create;
        await command.ExecuteNonQueryAsync();
        return path;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>What a database holds, table by table, for "exactly as it was" comparisons.</summary>
internal static class StoreState
{
    /// <summary>An unpooled connection, so the file is closed (and its WAL checkpointed) when it is disposed.</summary>
    public static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>
    /// Every table (nodes, node_facts, relationships, sources, the full-text index and its shadow tables, and any other)
    /// as its row count and a SHA-256 of its rows, read in one snapshot. Rows are hashed in sorted order of their
    /// text form, so the result does not depend on the query plan.
    /// </summary>
    public static async Task<SortedDictionary<string, string>> ReadAsync(string path)
    {
        await using var connection = Open(path);
        await using var snapshot = connection.BeginTransaction(deferred: true);
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.Transaction = snapshot;
            list.CommandText = "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = snapshot;
            command.CommandText = $"SELECT * FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync())
            {
                var row = new StringBuilder();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    row.Append(reader.IsDBNull(i) ? "∅" : reader.GetValue(i) switch
                    {
                        byte[] blob => "x" + Convert.ToHexString(blob),
                        IFormattable value => value.ToString(null, CultureInfo.InvariantCulture),
                        var value => value.ToString(),
                    }).Append('\u001f');
                }

                rows.Add(row.ToString());
            }

            rows.Sort(StringComparer.Ordinal);
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001e', rows)));
            result[table] = $"{rows.Count} rows, sha256 {Convert.ToHexString(hash)}";
        }

        return result;
    }

    public static async Task<string> IntegrityCheckAsync(string path)
    {
        await using var connection = Open(path);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture)!;
    }

    public static async Task<List<(string Id, string Name, string Kind, string Sector)>> NodesAsync(string path, string where)
    {
        await using var connection = Open(path);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id, name, kind, sector FROM nodes WHERE {where}";
        await using var reader = await command.ExecuteReaderAsync();
        var nodes = new List<(string, string, string, string)>();
        while (await reader.ReadAsync())
        {
            nodes.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }

        return nodes;
    }

    public static string FileHash(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(file));
    }
}

/// <summary>Writes import directories in the project's CSV format (docs/csv-format.md).</summary>
internal static class GeneratedCsv
{
    /// <summary>
    /// A directory that adds <paramref name="newNodes"/> companies (<c>{tag}-000001</c>, ...) in a chain of
    /// OWNED_BY relationships, and renames <paramref name="renamed"/> existing nodes to "NAME ({tag})".
    /// </summary>
    public static async Task<string> WriteAsync(string directory, IReadOnlyList<(string Id, string Name, string Kind, string Sector)> renamed, string tag, int newNodes)
    {
        Directory.CreateDirectory(directory);
        var source = $"src-{tag}".ToLowerInvariant();
        await File.WriteAllTextAsync(Path.Combine(directory, "sources.csv"), $"id,title\n{source},Generated input {tag}\n");

        await using (var nodes = new StreamWriter(Path.Combine(directory, "nodes.csv")))
        {
            await nodes.WriteLineAsync("id,name,kind,sector,sources");
            for (var i = 0; i < newNodes; i++)
            {
                await nodes.WriteLineAsync($"{tag}-{i:D6},Generated company {i} ({tag}),COMPANY,PRIVATE,{source}");
            }

            foreach (var (id, name, kind, sector) in renamed)
            {
                await nodes.WriteLineAsync($"{Field(id)},{Field($"{name} ({tag})")},{kind},{sector},{source}");
            }
        }

        await using var relationships = new StreamWriter(Path.Combine(directory, "relationships.csv"));
        await relationships.WriteLineAsync("type,from,to,valid_from,sources,properties");
        for (var i = 0; i + 1 < newNodes; i++)
        {
            await relationships.WriteLineAsync($"OWNED_BY,{tag}-{i:D6},{tag}-{i + 1:D6},2020-01-01,{source},\"{{\"\"share\"\":100}}\"");
        }

        return directory;
    }

    private static string Field(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

/// <summary>The real import command (<c>OrgGraph.Api import DIR</c>) in a child process.</summary>
internal sealed class ImportProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    private ImportProcess(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>import <paramref name="directory"/></c> on <paramref name="database"/>, with extra environment variables.</summary>
    public static ImportProcess Start(string database, string directory, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OrgGraph.Api.dll"));
        start.ArgumentList.Add("import");
        start.ArgumentList.Add(directory);
        start.Environment["Storage__Sqlite__Path"] = database;
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        start.Environment.Remove(SqliteGraphStore.PauseBeforeCommitVariable);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new ImportProcess(Process.Start(start)!);
    }

    /// <summary>Waits for the child to exit (at most <paramref name="timeout"/>) and returns its exit code and output.</summary>
    public async Task<(int Code, string Stdout, string Stderr)> WaitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"the import did not finish within {timeout}: {await _stderr}");
        }

        return (_process.ExitCode, await _stdout, await _stderr);
    }

    /// <summary>Waits until <paramref name="file"/> exists (the pause hook's signal); fails if the child exits first.</summary>
    public async Task WaitForFileAsync(string file, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!File.Exists(file))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the import exited ({_process.ExitCode}) before pausing: {await _stdout} {await _stderr}");
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"the import did not pause within {timeout}");
            }

            await Task.Delay(20);
        }
    }

    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
