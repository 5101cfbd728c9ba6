using OrgGraph.Model;

namespace OrgGraph.Exporting;

/// <summary>
/// One export format. <see cref="GraphExporter"/> calls <see cref="Begin"/>, then <see cref="WriteNodes"/> for every
/// page of nodes, then <see cref="WriteSources"/> once (every source cited by the nodes and the relationships to come),
/// then <see cref="WriteRelationships"/> for every page of relationships (whose ends have all been written), then
/// <see cref="End"/>. <c>sources</c> holds at least every source cited by what is being written.
/// </summary>
internal interface IGraphWriter : IDisposable
{
    void Begin(ExportSelection selection);

    void WriteNodes(IReadOnlyList<Node> nodes, IReadOnlyDictionary<string, Source> sources);

    void WriteSources(IReadOnlyList<Source> sources);

    void WriteRelationships(IReadOnlyList<Relationship> relationships, IReadOnlyDictionary<string, Source> sources);

    /// <summary>Finishes the output and makes it visible (files are written under temporary names until then).</summary>
    void End(ExportSummary summary);

    /// <summary>The files written, once <see cref="End"/> has run.</summary>
    IReadOnlyList<string> Files { get; }
}

/// <summary>
/// A file written under a temporary name and moved into place by <see cref="Commit"/>, so a failed export never
/// leaves a truncated file where a good one was. Disposing without committing deletes the temporary file.
/// </summary>
internal sealed class OutputFile : IDisposable
{
    private readonly string _temporary;
    private bool _committed;

    public OutputFile(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        _temporary = $"{Path}.{Guid.NewGuid():N}.tmp";
        Writer = new StreamWriter(new FileStream(_temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16), ExportValues.Utf8);
    }

    public string Path { get; }

    public StreamWriter Writer { get; }

    public void Commit()
    {
        Writer.Dispose();
        File.Move(_temporary, Path, overwrite: true);
        _committed = true;
    }

    public void Dispose()
    {
        Writer.Dispose();
        if (!_committed)
        {
            File.Delete(_temporary);
        }
    }
}
