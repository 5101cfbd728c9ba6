namespace OrgGraph.Api.Seeding;

/// <summary>First-start seeding (section <c>Seed</c>).</summary>
public sealed class SeedOptions
{
    public const string Section = "Seed";

    /// <summary>Directory read when the store is empty. Default: the <c>seed</c> folder copied next to the program.</summary>
    public string Path { get; set; } = System.IO.Path.Combine(AppContext.BaseDirectory, "seed");

    /// <summary>Seed an empty store on start. Default true.</summary>
    public bool OnStartup { get; set; } = true;
}
