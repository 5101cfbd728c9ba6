using GraphQL.Validation;
using GraphQLParser.AST;

namespace OrgGraph.Api.Http;

/// <summary>GET must be safe: a mutation sent over GET is refused (the endpoint answers 405).</summary>
internal sealed class OnlyQueriesOverGet : IValidationRule
{
    public const string Code = "METHOD_NOT_ALLOWED";

    public static readonly OnlyQueriesOverGet Instance = new();

    public ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        if (context.Operation.Operation != OperationType.Query)
        {
            context.ReportError(new ValidationError($"Only queries may be sent with GET; send a {context.Operation.Operation.ToString().ToLowerInvariant()} with POST.") { Code = Code });
        }

        return default;
    }

    public ValueTask<IVariableVisitor?> GetVariableVisitorAsync(ValidationContext context) => default;

    public ValueTask<INodeVisitor?> GetPostNodeVisitorAsync(ValidationContext context) => default;
}
