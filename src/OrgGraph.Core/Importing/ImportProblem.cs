namespace OrgGraph.Importing;

/// <summary>One rejected value: where it is (file, line, column, field) and why.</summary>
public sealed record ImportProblem(string File, int Line, int Column, string? Field, string Reason)
{
    public override string ToString() =>
        Field is null ? $"{File}:{Line}:{Column}: {Reason}" : $"{File}:{Line}:{Column} ({Field}): {Reason}";
}

/// <summary>An import that was refused. Nothing was written.</summary>
public sealed class ImportException(IReadOnlyList<ImportProblem> problems)
    : Exception($"Import refused, nothing was written. {problems.Count} problem(s):{Environment.NewLine}" +
                string.Join(Environment.NewLine, problems.Select(p => "  " + p)))
{
    public IReadOnlyList<ImportProblem> Problems { get; } = problems;
}
