using Microsoft.Extensions.DependencyInjection;
using OrgGraph.Storage;
using OrgGraph.Storage.Sqlite;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.GraphQL;

public sealed class BatchLoadingTests(SeededApp seeded) : IClassFixture<SeededApp>
{
    // Three levels of nested lists: organisations → relationships → the other end → its sources and parent.
    private const string NestedQuery = """
        query($first: Int) {
          organisations(kind: [CCG, TRUST], first: $first) {
            nodes {
              id sources { title }
              relationships(first: 5) { nodes { from { id name sources { title } } to { id name parent { id } sources { title } } sources { url } } }
              children { id }
            }
          }
        }
        """;

    [Fact]
    public async Task NestedQuery_MakesTheSameBoundedNumberOfStoreCallsForAnyPageSize()
    {
        var small = await CountStoreCallsAsync(3);
        var large = await CountStoreCallsAsync(20);

        Assert.Equal(small, large);
        Assert.InRange(large, 1, 12);
    }

    private async Task<long> CountStoreCallsAsync(int first)
    {
        var store = (SqliteGraphStore)seeded.App.Services.GetRequiredService<IGraphStore>();
        var before = store.Calls;
        var data = await seeded.Client.QueryAsync(NestedQuery, new { first });
        Assert.Equal(first, data["organisations"]!["nodes"]!.AsArray().Count);
        return store.Calls - before;
    }
}
