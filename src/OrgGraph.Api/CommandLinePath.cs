namespace OrgGraph.Api;

/// <summary>
/// Paths given on the command line. <c>dotnet run --project</c> starts the program in the project's directory,
/// so a relative path is taken relative to the shell's directory (<c>$PWD</c>) when there is one.
/// </summary>
internal static class CommandLinePath
{
    public static string Resolve(string path) =>
        Path.IsPathRooted(path)
            ? path
            : Path.GetFullPath(path, Environment.GetEnvironmentVariable("PWD") is { Length: > 0 } shell && Directory.Exists(shell) ? shell : Directory.GetCurrentDirectory());
}
