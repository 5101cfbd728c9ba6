namespace OrgGraph.Storage;

/// <summary>
/// A write was refused because another writer (an import in another process, say) held the store for longer than
/// the store is configured to wait. Nothing of the refused write was stored; trying again later is safe.
/// </summary>
public sealed class StoreBusyException(string message, Exception? inner = null) : Exception(message, inner);
