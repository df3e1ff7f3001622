namespace GovMail.Net;

/// <summary>Why a new connection was turned away before its protocol session started.</summary>
public enum ConnectionRefusal
{
    /// <summary>The server already holds its maximum number of connections.</summary>
    TooManyConnections,
    /// <summary>The remote address already holds its maximum number of connections.</summary>
    TooManyConnectionsFromAddress,
}
