namespace GovMail.Testing;

/// <summary>
/// Bends a valid protocol command out of shape for the hostile-input tests: characters dropped, a piece of the protocol's
/// own troublemakers put in, a character repeated, two words swapped, the line cut short. One mutation most of the time (the
/// server then often runs the command, so its execution is bent too, not only its parsing), two or three otherwise. Line
/// endings are never produced: one line stays one line. Seeded by the caller, so a failure can be replayed.
/// </summary>
public sealed class CommandMutator(IReadOnlyList<string> pieces, int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>One of <paramref name="commands"/>, chosen and bent.</summary>
    public (string Original, string Mutated) Next(IReadOnlyList<string> commands)
    {
        var command = commands[_random.Next(commands.Count)];
        return (command, Mutate(command));
    }

    private string Mutate(string command)
    {
        var line = command;
        for (var k = _random.Next(3) == 0 ? _random.Next(2, 4) : 1; k > 0; k--)
        {
            var at = _random.Next(line.Length + 1);
            line = _random.Next(6) switch
            {
                0 => at < line.Length ? line.Remove(at, Math.Min(_random.Next(1, 6), line.Length - at)) : line,
                1 or 2 => line.Insert(at, pieces[_random.Next(pieces.Count)]),
                3 => line[..at] + new string(line.Length > 0 ? line[_random.Next(line.Length)] : 'x', _random.Next(1, 40)) + line[at..],
                4 => Swap(line),
                _ => line[..at],
            };
        }
        return line.Replace("\r", "").Replace("\n", "");
    }

    private string Swap(string line)
    {
        var words = line.Split(' ');
        if (words.Length < 2) return line;
        var a = _random.Next(words.Length);
        var b = _random.Next(words.Length);
        (words[a], words[b]) = (words[b], words[a]);
        return string.Join(' ', words);
    }
}
