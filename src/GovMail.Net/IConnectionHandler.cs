namespace GovMail.Net;

/// <summary>The protocol side of a listener: runs one session per accepted connection.</summary>
public interface IConnectionHandler
{
    /// <summary>Runs the whole session; the listener closes the connection when this returns.</summary>
    Task RunAsync(NetworkConnection connection);

    /// <summary>Tells a connection that was turned away why (a protocol greeting such as <c>421</c>); the listener closes it afterwards.</summary>
    Task RefuseAsync(NetworkConnection connection, ConnectionRefusal refusal);
}
