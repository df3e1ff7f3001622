using System.Text;
using GovMail.Smtp.Protocol;

namespace GovMail.Smtp.Tests.Protocol;

public sealed class SmtpDataDecoderTests
{
    /// <summary>Feeds the input in the given pieces and returns what was decoded, whether the end was found and where.</summary>
    private static (string Output, bool Complete, int Consumed, bool LineTooLong) Decode(string input, params int[] cuts)
    {
        var bytes = Encoding.UTF8.GetBytes(input);
        var decoder = new SmtpDataDecoder(1000);
        var output = new List<byte>();
        var consumed = 0;
        var start = 0;
        foreach (var end in cuts.Append(bytes.Length))
        {
            var piece = bytes.AsSpan(start, end - start);
            while (!piece.IsEmpty && !decoder.IsComplete)
            {
                var buffer = new byte[piece.Length + 1];
                var written = decoder.Decode(piece, buffer, out var used);
                output.AddRange(buffer.AsSpan(0, written).ToArray());
                consumed += used;
                piece = piece[used..];
            }
            start = end;
            if (decoder.IsComplete) break;
        }
        return (Encoding.UTF8.GetString(output.ToArray()), decoder.IsComplete, consumed, decoder.LineTooLong);
    }

    public static TheoryData<string, string> Messages => new()
    {
        { "Subject: a\r\n\r\nbody\r\n.\r\n", "Subject: a\r\n\r\nbody\r\n" },
        { ".\r\n", "" },
        { "..\r\n.\r\n", ".\r\n" },
        { "..leading\r\n...two\r\n.\r\n", ".leading\r\n..two\r\n" },
        { "a.b\r\n .\r\n.\r\n", "a.b\r\n .\r\n" },
        { "bare\nLF\n.\nstill data\r\n.\r\n", "bare\nLF\n.\nstill data\r\n" },
        { "x\n.\r\nstill data\r\n.\r\n", "x\n.\r\nstill data\r\n" },
        { "bare\rCR\r.\r\n.\r\n", "bare\rCR\r.\r\n" },
        { "x\r\n.\ny\r\n.\r\n", "x\r\n\ny\r\n" },
        { "x\r\n.\rz\r\n.\r\n", "x\r\n\rz\r\n" },
        { "x\r\n.\r\r\n.\r\n", "x\r\n\r\r\n" },
        { "x\r\r\n.\r\n", "x\r\r\n" },
        { "Tiêu đề: Công văn\r\n..Đã ký\r\n.\r\n", "Tiêu đề: Công văn\r\n.Đã ký\r\n" },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Decodes_the_same_however_the_input_is_split(string wire, string message)
    {
        var whole = Decode(wire);
        Assert.Equal((message, true, Encoding.UTF8.GetByteCount(wire)), (whole.Output, whole.Complete, whole.Consumed));
        for (var cut = 1; cut < Encoding.UTF8.GetByteCount(wire); cut++)
        {
            Assert.Equal(message, Decode(wire, cut).Output);
            Assert.Equal(message, Decode(wire, cut, Math.Min(cut + 1, Encoding.UTF8.GetByteCount(wire))).Output);
        }
        var bytes = Encoding.UTF8.GetByteCount(wire);
        Assert.Equal(message, Decode(wire, Enumerable.Range(1, bytes - 1).ToArray()).Output);
    }

    [Fact]
    public void Stops_at_the_end_of_data_and_leaves_what_follows()
    {
        var result = Decode("a\r\n.\r\nQUIT\r\n");
        Assert.Equal(("a\r\n", true, 6), (result.Output, result.Complete, result.Consumed));
    }

    [Fact]
    public void Without_the_end_marker_nothing_is_complete()
    {
        Assert.False(Decode("a\r\n.\n").Complete);
        Assert.False(Decode("a\n.\r\n").Complete);
        Assert.False(Decode("a\r\n. \r\n").Complete);
    }

    [Fact]
    public void Lines_over_1000_octets_with_crlf_are_flagged_and_the_stuffing_dot_does_not_count()
    {
        Assert.False(Decode(new string('x', 998) + "\r\n.\r\n").LineTooLong);
        Assert.True(Decode(new string('x', 999) + "\r\n.\r\n").LineTooLong);
        Assert.False(Decode("." + new string('.', 998) + "\r\n.\r\n").LineTooLong);
        Assert.False(Decode(string.Concat(Enumerable.Repeat(new string('x', 500) + "\n", 10)) + "\r\n.\r\n").LineTooLong);
        Assert.True(Decode(new string('x', 999) + "\nshort\r\n.\r\n").LineTooLong);
    }
}
