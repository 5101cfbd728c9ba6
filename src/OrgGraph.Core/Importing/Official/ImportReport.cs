namespace OrgGraph.Importing.Official;

/// <summary>
/// What an import of official files noticed: where files disagree, where they leave a gap, and what was
/// derived rather than read. Printed by the import command and logged by seeding.
/// </summary>
public sealed class ImportReport
{
    private readonly List<string> _notes = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<string> Notes
    {
        get
        {
            lock (_lock)
            {
                return [.. _notes];
            }
        }
    }

    public void Note(string note)
    {
        lock (_lock)
        {
            _notes.Add(note);
        }
    }

    public void Note(ManifestEntry file, int line, string note) => Note($"{file.File}:{line}: {note}");

    public override string ToString() => string.Join(Environment.NewLine, Notes.Select(n => "- " + n));
}
