namespace GovMail.Smtp.Protocol;

/// <summary>
/// Decodes the content that follows DATA: removes the dot added for transparency (RFC 5321 section 4.5.2) and finds the
/// end of data, <c>CRLF . CRLF</c>, however the bytes are split across reads.
/// <para>
/// Line endings: only CRLF ends a line. A bare LF or a bare CR is kept as message data and never starts a line, so it
/// can never end the data or be taken for a dot-stuffed line. This closes the "SMTP smuggling" gap (a second message
/// hidden behind <c>LF . LF</c> or <c>LF . CRLF</c>) while accepting, unchanged, the rare client that sends bare LFs.
/// </para>
/// <para>
/// Line length: a line longer than <see cref="MaxLineLength"/> octets with its CRLF (the stuffing dot not counted,
/// RFC 5321 section 4.5.3.1.6) sets <see cref="LineTooLong"/>; decoding goes on so the session stays in step and
/// refuses the message after its end. For this count a bare LF also ends a line, so a message written with Unix line
/// endings is not mistaken for one long line.
/// </para>
/// </summary>
public sealed class SmtpDataDecoder(int maxLineLength)
{
    private enum State : byte
    {
        /// <summary>At the start of a line: right after CRLF, or at the very start of the data.</summary>
        LineStart,
        /// <summary>Inside a line.</summary>
        Text,
        /// <summary>Just after a CR inside a line (already written out).</summary>
        CarriageReturn,
        /// <summary>A line started with '.', not written out: it is either stuffing or the end of data.</summary>
        Dot,
        /// <summary>A line started with ".CR", neither written out yet.</summary>
        DotCarriageReturn,
        /// <summary>The end of data has been read.</summary>
        Done,
    }

    private State _state = State.LineStart;
    private int _lineLength;

    public int MaxLineLength { get; } = maxLineLength;
    public bool IsComplete => _state == State.Done;
    public bool LineTooLong { get; private set; }

    /// <summary>
    /// Decodes as much of <paramref name="input"/> as it can into <paramref name="output"/>, which must be longer than the
    /// input (one held-back CR may be released). Stops early only at the end of data, whose bytes count as consumed.
    /// </summary>
    /// <returns>The number of octets written to <paramref name="output"/>.</returns>
    public int Decode(ReadOnlySpan<byte> input, Span<byte> output, out int consumed)
    {
        if (output.Length <= input.Length) throw new ArgumentException("The output must be longer than the input.", nameof(output));
        var i = 0;
        var written = 0;
        while (i < input.Length)
        {
            var b = input[i];
            switch (_state)
            {
                case State.Text:
                {
                    // The common case: copy up to the next CR or LF in one go.
                    var run = input[i..];
                    var stop = run.IndexOfAny((byte)'\r', (byte)'\n');
                    var length = stop < 0 ? run.Length : stop;
                    run[..length].CopyTo(output[written..]);
                    written += length;
                    i += length;
                    _lineLength += length;
                    if (_lineLength > MaxLineLength - 2) LineTooLong = true;
                    if (stop < 0) continue;
                    output[written++] = run[stop];
                    i++;
                    if (run[stop] == (byte)'\r')
                    {
                        _lineLength++;
                        _state = State.CarriageReturn;
                    }
                    else
                    {
                        // A bare LF: data, and not a line start; it ends a line only for the length count.
                        _lineLength = 0;
                    }
                    continue;
                }
                case State.LineStart:
                    if (b == (byte)'.')
                    {
                        _state = State.Dot;
                        i++;
                        continue;
                    }
                    _state = State.Text;
                    continue;
                case State.CarriageReturn:
                    if (b == (byte)'\n')
                    {
                        output[written++] = b;
                        EndLine();
                        _state = State.LineStart;
                        i++;
                        continue;
                    }
                    _state = State.Text;
                    continue;
                case State.Dot:
                    if (b == (byte)'\r')
                    {
                        _state = State.DotCarriageReturn;
                        i++;
                        continue;
                    }
                    // The dot was stuffing: drop it and read the rest as an ordinary line.
                    _state = State.Text;
                    continue;
                case State.DotCarriageReturn:
                    if (b == (byte)'\n')
                    {
                        _state = State.Done;
                        consumed = i + 1;
                        return written;
                    }
                    // ".CR" then something else: the dot was stuffing, the CR is data.
                    output[written++] = (byte)'\r';
                    _lineLength++;
                    _state = State.CarriageReturn;
                    continue;
                case State.Done:
                    consumed = i;
                    return written;
            }
        }
        consumed = i;
        return written;
    }

    private void EndLine()
    {
        // _lineLength counts the CR; the LF makes the total.
        if (_lineLength + 1 > MaxLineLength) LineTooLong = true;
        _lineLength = 0;
    }
}
