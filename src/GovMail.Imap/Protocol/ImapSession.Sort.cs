using GovMail.Core.Mail.Threading;
using GovMail.Imap.Commands;
using GovMail.Imap.Search;
using GovMail.Storage.Mail;

namespace GovMail.Imap.Protocol;

// SORT and THREAD (RFC 5256): the matching messages ordered or threaded by what delivery cached of them.
internal sealed partial class ImapSession
{
    private async ValueTask<Reply> SortAsync(SortCommand command)
    {
        var messages = await SortableAsync(command.Search);
        SortableMessage.Sort(messages, command.Criteria);
        var numbers = new List<uint>(messages.Count);
        foreach (var m in messages) numbers.Add(command.Uid ? m.Row.Uid : (uint)m.Sequence);
        Writer.Sort(numbers);
        return Reply.Ok("SORT completed.");
    }

    private async ValueTask<Reply> ThreadAsync(ThreadCommand command)
    {
        var messages = await SortableAsync(command.Search);
        var threads = command.Algorithm == ThreadAlgorithm.OrderedSubject
            ? MessageThreader.OrderedSubject(messages)
            : MessageThreader.References(messages);
        var w = Writer;
        w.Raw("* THREAD"u8);
        if (threads.Count > 0) w.Space();
        foreach (var thread in threads)
        {
            w.Raw("("u8);
            WriteThreadMembers(w, thread, command.Uid);
            w.Raw(")"u8);
        }
        w.EndLine();
        return Reply.Ok("THREAD completed.");
    }

    /// <summary>
    /// thread-members / thread-nested of RFC 5256: a message and, when it has one child, the child's members after a
    /// space; with several children, each as its own parenthesised thread. A dummy writes only its children.
    /// </summary>
    private static void WriteThreadMembers(ImapResponseWriter w, MessageThreader.Node<SortableMessage> node, bool uid)
    {
        var wrote = false;
        if (node.Message is { } message)
        {
            w.Number(uid ? message.Row.Uid : message.Sequence);
            wrote = true;
        }
        if (node.Children.Count == 1 && node.Message is not null)
        {
            w.Space();
            WriteThreadMembers(w, node.Children[0], uid);
            return;
        }
        if (node.Children.Count == 0) return;
        if (wrote) w.Space();
        foreach (var child in node.Children)
        {
            w.Raw("("u8);
            WriteThreadMembers(w, child, uid);
            w.Raw(")"u8);
        }
    }

    private async ValueTask<List<SortableMessage>> SortableAsync(SearchKey key)
    {
        var (matches, _) = await MatchAsync(key, withSummary: true);
        var messages = new List<SortableMessage>(matches.Count);
        foreach (var (row, n) in matches)
            messages.Add(new SortableMessage(row, n, row.Summary is null ? null : MessageSummary.FromJson(row.Summary)));
        return messages;
    }
}
