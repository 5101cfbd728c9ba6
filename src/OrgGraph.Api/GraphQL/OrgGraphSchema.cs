using GraphQL.Types;
using OrgGraph.Api.GraphQL.Types;

namespace OrgGraph.Api.GraphQL;

internal sealed class OrgGraphSchema : Schema
{
    public OrgGraphSchema(IServiceProvider services) : base(services)
    {
        Description = "OrgGraph: who controls what in England's NHS. Every fact is dated and sourced.";
        Query = services.GetRequiredService<QueryType>();
        Mutation = services.GetRequiredService<MutationType>();
        RegisterTypeMapping(typeof(DateOnly), typeof(IsoDateGraphType));
    }
}
