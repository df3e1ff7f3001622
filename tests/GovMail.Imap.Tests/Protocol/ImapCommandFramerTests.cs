using System.Buffers;
using System.Text;
using GovMail.Imap.Protocol;

namespace GovMail.Imap.Tests.Protocol;

public sealed class ImapCommandFramerTests
{
    private static ReadOnlySequence<byte> Bytes(string text) => new(Encoding.UTF8.GetBytes(text));

    /// <summary>The same bytes cut into one-octet segments, as a slow network might deliver them.</summary>
    private static ReadOnlySequence<byte> Fragmented(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Segment? first = null, last = null;
        foreach (var b in bytes)
        {
            var segment = new Segment(new[] { b }, last);
            first ??= segment;
            last = segment;
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, 1);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] data, Segment? previous)
        {
            Memory = data;
            if (previous is not null)
            {
                RunningIndex = previous.RunningIndex + previous.Memory.Length;
                previous.Next = this;
            }
        }
    }

    [Fact]
    public void A_line_is_a_command()
    {
        var framer = new ImapCommandFramer(8192, 4096);
        Assert.Equal(new FrameResult(FrameStatus.Incomplete), framer.Frame(Bytes("a1 NOOP")));
        Assert.Equal(new FrameResult(FrameStatus.Complete, 9), framer.Frame(Bytes("a1 NOOP\r\na2 NOOP\r\n")));
    }

    [Fact]
    public void A_synchronizing_literal_asks_for_a_continuation_once_then_waits_for_its_octets()
    {
        var framer = new ImapCommandFramer(8192, 4096);
        const string head = "a1 LOGIN {2}\r\n";
        Assert.Equal(FrameStatus.NeedContinuation, framer.Frame(Bytes(head)).Status);
        Assert.Equal(FrameStatus.Incomplete, framer.Frame(Bytes(head + "a")).Status);
        Assert.Equal(FrameStatus.Incomplete, framer.Frame(Bytes(head + "an pw")).Status);
        var whole = head + "an pw\r\n";
        Assert.Equal(new FrameResult(FrameStatus.Complete, Encoding.UTF8.GetByteCount(whole)), framer.Frame(Bytes(whole)));
    }

    [Fact]
    public void Non_synchronizing_literals_need_no_continuation_even_in_fragments()
    {
        var framer = new ImapCommandFramer(8192, 4096);
        const string whole = "a1 LOGIN {2+}\r\nan {3+}\r\npw1\r\n";
        Assert.Equal(new FrameResult(FrameStatus.Complete, whole.Length), framer.Frame(Fragmented(whole)));
    }

    [Fact]
    public void A_literal_marker_inside_a_quoted_string_at_line_end_is_still_a_literal()
    {
        // The grammar makes "{3}" at the end of a line a literal; a quoted string cannot span lines anyway.
        var framer = new ImapCommandFramer(8192, 4096);
        Assert.Equal(FrameStatus.NeedContinuation, framer.Frame(Bytes("a1 LOGIN an {3}\r\n")).Status);
    }

    [Fact]
    public void Limits_are_enforced_while_reading()
    {
        var framer = new ImapCommandFramer(8192, 4096);
        Assert.Equal(new FrameResult(FrameStatus.LiteralTooLarge, 17, 5000, false), framer.Frame(Bytes("a1 LOGIN {5000}\r\n")));
        framer.Reset();
        Assert.Equal(FrameStatus.LiteralTooLarge, framer.Frame(Bytes("a1 LOGIN {99999999999999999999999}\r\n")).Status);
        framer.Reset();
        Assert.Equal(FrameStatus.TooLong, framer.Frame(Bytes("a1 NOOP " + new string('x', 9000))).Status);
    }

    [Fact]
    public void The_message_literal_of_append_is_handed_over_for_streaming()
    {
        var framer = new ImapCommandFramer(8192, 4096);
        const string prefix = "a1 APPEND INBOX (\\Seen) {50000000}\r\n";
        Assert.Equal(new FrameResult(FrameStatus.AppendLiteral, prefix.Length, 50_000_000, false), framer.Frame(Bytes(prefix + "From: ")));
        framer.Reset();
        const string named = "a1 APPEND {5}\r\n";
        Assert.Equal(FrameStatus.NeedContinuation, framer.Frame(Bytes(named)).Status);
        Assert.Equal(new FrameResult(FrameStatus.AppendLiteral, named.Length + 12, 9, true), framer.Frame(Bytes(named + "INBOX {9+}\r\n")));
    }

    [Fact]
    public void Under_literal_minus_a_non_synchronizing_literal_above_4096_octets_is_refused_even_for_append()
    {
        var framer = new ImapCommandFramer(65536, 65536, ImapCommandFramer.LiteralMinusLimit);
        Assert.Equal(FrameStatus.Incomplete, framer.Frame(Bytes("a1 LOGIN {4096+}\r\n")).Status);
        framer.Reset();
        var refused = framer.Frame(Bytes("a1 LOGIN {4097+}\r\n"));
        Assert.Equal((FrameStatus.NonSynchronizingTooLarge, 4097L), (refused.Status, refused.LiteralSize));
        framer.Reset();
        Assert.Equal(FrameStatus.NonSynchronizingTooLarge, framer.Frame(Bytes("a2 APPEND INBOX {5000+}\r\n")).Status);
        framer.Reset();
        Assert.Equal(FrameStatus.AppendLiteral, framer.Frame(Bytes("a2 APPEND INBOX {5000}\r\n")).Status);
    }
}
