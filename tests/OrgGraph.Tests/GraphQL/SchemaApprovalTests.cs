using GraphQL;
using GraphQL.Utilities;
using Microsoft.Extensions.DependencyInjection;
using OrgGraph.Api.GraphQL;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.GraphQL;

public sealed class SchemaApprovalTests
{
    /// <summary>
    /// schema.graphql at the root is the contract dashboards code against; it must equal the printed schema.
    /// After an intended change, run the tests with ORGGRAPH_APPROVE_SCHEMA=1 to rewrite it, and review the diff.
    /// </summary>
    [Fact]
    public void PrintedSchema_EqualsSchemaGraphqlAtTheRoot()
    {
        using var app = new OrgGraphApp(("Seed:OnStartup", "false"));
        var schema = app.Services.GetRequiredService<OrgGraphSchema>();
        var printed = schema.Print(new PrintOptions { IncludeDescriptions = true }).ReplaceLineEndings("\n").TrimEnd() + "\n";
        var path = Path.Combine(Repo.Root, "schema.graphql");

        if (Environment.GetEnvironmentVariable("ORGGRAPH_APPROVE_SCHEMA") == "1")
        {
            File.WriteAllText(path, printed);
        }

        Assert.True(File.Exists(path), "schema.graphql is missing; run the tests with ORGGRAPH_APPROVE_SCHEMA=1");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), printed);
    }
}
