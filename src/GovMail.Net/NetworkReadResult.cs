using System.Buffers;
using System.IO.Pipelines;

namespace GovMail.Net;

/// <summary>Why a read from a connection returned.</summary>
public enum NetworkReadStatus
{
    /// <summary>Bytes are available in <see cref="NetworkReadResult.Buffer"/> (possibly the same ones as before, plus more).</summary>
    Data,
    /// <summary>The peer closed its side; <see cref="NetworkReadResult.Buffer"/> holds whatever it sent last.</summary>
    Closed,
    /// <summary>Nothing arrived within the timeout the protocol gave.</summary>
    TimedOut,
    /// <summary>The server is stopping and the protocol was waiting idle for its next command.</summary>
    ShutdownRequested,
    /// <summary>What the protocol had written could not be sent before waiting (the peer is gone or stopped reading); no input.</summary>
    SendFailed,
}

/// <summary>The outcome of <see cref="NetworkConnection.ReadAsync"/>: a status and the unconsumed input.</summary>
public readonly struct NetworkReadResult(NetworkReadStatus status, ReadOnlySequence<byte> buffer)
{
    public NetworkReadStatus Status { get; } = status;

    /// <summary>The unconsumed input; the caller must pass positions of it to <see cref="PipeReader.AdvanceTo(SequencePosition, SequencePosition)"/>.</summary>
    public ReadOnlySequence<byte> Buffer { get; } = buffer;
}
