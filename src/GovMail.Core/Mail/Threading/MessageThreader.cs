namespace GovMail.Core.Mail.Threading;

/// <summary>
/// THREAD (RFC 5256): ORDEREDSUBJECT groups by base subject; REFERENCES links messages through Message-ID, References
/// and In-Reply-To, prunes the empty containers and then groups what is left by base subject (section 2.2, steps 1 to 6).
/// IMAP THREAD writes the trees; the webmail shows each root as one conversation.
/// </summary>
public static class MessageThreader
{
    /// <summary>A node of a thread: a message, or a dummy standing for one that is not in the result.</summary>
    public sealed class Node<T> where T : ThreadMessage
    {
        public T? Message { get; set; }
        public Node<T>? Parent { get; set; }
        public List<Node<T>> Children { get; } = [];

        /// <summary>The message a dummy is sorted and named by: its first child's.</summary>
        public T? Representative => Message ?? (Children.Count > 0 ? Children[0].Representative : null);

        public void Add(Node<T> child)
        {
            child.Parent?.Children.Remove(child);
            child.Parent = this;
            Children.Add(child);
        }

        /// <summary>This node's message and every message below it, in tree order (a conversation's messages).</summary>
        public IEnumerable<T> Messages()
        {
            if (Message is not null) yield return Message;
            foreach (var child in Children)
                foreach (var message in child.Messages())
                    yield return message;
        }

        public bool IsAncestorOf(Node<T> other)
        {
            for (var n = other; n is not null; n = n.Parent)
                if (n == this) return true;
            return false;
        }
    }

    /// <summary>ORDEREDSUBJECT: one thread per base subject, the first message as its root, the others its children.</summary>
    public static List<Node<T>> OrderedSubject<T>(IReadOnlyList<T> messages) where T : ThreadMessage
    {
        var sorted = new List<T>(messages);
        sorted.Sort((a, b) =>
        {
            var c = string.Compare(a.BaseSubject, b.BaseSubject, StringComparison.OrdinalIgnoreCase);
            return c != 0 ? c : ThreadMessage.CompareByDate(a, b);
        });
        var roots = new List<Node<T>>();
        Node<T>? root = null;
        foreach (var message in sorted)
        {
            var node = new Node<T> { Message = message };
            if (root is not null && string.Equals(root.Message!.BaseSubject, message.BaseSubject, StringComparison.OrdinalIgnoreCase))
            {
                root.Add(node);
                continue;
            }
            root = node;
            roots.Add(node);
        }
        roots.Sort((a, b) => ThreadMessage.CompareByDate(a.Message!, b.Message!));
        return roots;
    }

    /// <summary>REFERENCES: the threads, oldest first, each a tree whose dummies stand for messages not in the list.</summary>
    public static List<Node<T>> References<T>(IReadOnlyList<T> messages) where T : ThreadMessage
    {
        // (1) Link every message to the messages it references.
        var byId = new Dictionary<string, Node<T>>(StringComparer.Ordinal);
        var ordered = new List<T>(messages);
        ordered.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        foreach (var message in ordered)
        {
            var id = NormalizeId(message.MessageId);
            Node<T> node;
            if (id is not null && byId.TryGetValue(id, out var existing) && existing.Message is null)
            {
                node = existing;
                node.Message = message;
            }
            else
            {
                // No Message-ID, or one seen before: the message gets a container of its own.
                node = new Node<T> { Message = message };
                byId[id is null || byId.ContainsKey(id) ? $"\u0000{message.Sequence}" : id] = node;
            }

            Node<T>? previous = null;
            foreach (var reference in ReferencesOf(message))
            {
                if (!byId.TryGetValue(reference, out var container)) byId[reference] = container = new Node<T>();
                if (previous is not null && container.Parent is null && !container.IsAncestorOf(previous) && previous != container)
                    previous.Add(container);
                previous = container;
            }
            // The last reference is the parent; a later, more definite one replaces an earlier guess.
            if (previous is not null && previous != node && !node.IsAncestorOf(previous)) previous.Add(node);
            else if (previous is null && node.Parent is not null)
            {
                node.Parent.Children.Remove(node);
                node.Parent = null;
            }
        }

        // (2) The root set, (4) without empty containers.
        var roots = new List<Node<T>>();
        foreach (var node in byId.Values)
            if (node.Parent is null) roots.Add(node);
        var pruned = new List<Node<T>>();
        foreach (var root in roots) Prune(root, pruned, isRoot: true);

        // (5) Threads whose base subjects are the same are gathered.
        pruned = GroupBySubject(pruned);

        // (6) Siblings by sent date, a dummy by its first child.
        SortTree(pruned);
        return pruned;
    }

    /// <summary>Adds <paramref name="node"/> (pruned) to <paramref name="into"/>: empty dummies go, dummies give their children up (at the root only when they have one).</summary>
    private static void Prune<T>(Node<T> node, List<Node<T>> into, bool isRoot) where T : ThreadMessage
    {
        var children = new List<Node<T>>(node.Children);
        node.Children.Clear();
        var kept = new List<Node<T>>();
        foreach (var child in children) Prune(child, kept, isRoot: false);
        if (node.Message is null && (kept.Count == 0 || !isRoot || kept.Count == 1))
        {
            foreach (var child in kept) child.Parent = isRoot ? null : child.Parent;
            into.AddRange(kept);
            return;
        }
        foreach (var child in kept)
        {
            child.Parent = node;
            node.Children.Add(child);
        }
        into.Add(node);
    }

    private static List<Node<T>> GroupBySubject<T>(List<Node<T>> roots) where T : ThreadMessage
    {
        foreach (var root in roots) SortTree(root.Children);
        var table = new Dictionary<string, Node<T>>(StringComparer.OrdinalIgnoreCase);
        foreach (var root in roots)
        {
            if (Subject(root) is not { Length: > 0 } subject) continue;
            if (!table.TryGetValue(subject, out var old) ||
                (root.Message is null && old.Message is not null) ||
                (old.Message is not null && old.Message.IsReply && root.Message is not null && !root.Message.IsReply))
                table[subject] = root;
        }

        var result = new List<Node<T>>();
        foreach (var root in roots)
        {
            // Already put under a new dummy with a thread that came before it.
            if (root.Parent is not null) continue;
            var subject = Subject(root);
            if (subject is not { Length: > 0 } || !table.TryGetValue(subject, out var holder) || holder == root)
            {
                result.Add(root);
                continue;
            }
            if (holder.Message is null && root.Message is null)
            {
                foreach (var child in new List<Node<T>>(root.Children)) holder.Add(child);
            }
            else if (holder.Message is null)
            {
                holder.Add(root);
            }
            else if (!holder.Message.IsReply && root.Message is not null && root.Message.IsReply)
            {
                holder.Add(root);
            }
            else
            {
                // Neither is the other's reply: both go under a new dummy, which takes the first one's place.
                var dummy = new Node<T>();
                var index = result.IndexOf(holder);
                dummy.Add(holder);
                dummy.Add(root);
                table[subject] = dummy;
                if (index >= 0) result[index] = dummy;
                else result.Add(dummy);
            }
        }
        return result;
    }

    private static string? Subject<T>(Node<T> root) where T : ThreadMessage => root.Representative?.BaseSubject;

    private static void SortTree<T>(List<Node<T>> siblings) where T : ThreadMessage
    {
        foreach (var node in siblings) SortTree(node.Children);
        siblings.Sort((a, b) => ThreadMessage.CompareByDate(a.Representative!, b.Representative!));
    }

    /// <summary>The References, or failing them the first In-Reply-To, as Message-IDs without angle brackets.</summary>
    private static List<string> ReferencesOf(ThreadMessage message)
    {
        var list = new List<string>();
        if (message.References is { Count: > 0 } references)
        {
            foreach (var r in references)
                if (NormalizeId(r) is { } id) list.Add(id);
        }
        else if (message.InReplyTo is { } inReplyTo)
        {
            var start = inReplyTo.IndexOf('<');
            var end = start < 0 ? -1 : inReplyTo.IndexOf('>', start);
            if (NormalizeId(end > start ? inReplyTo[start..(end + 1)] : inReplyTo) is { } id) list.Add(id);
        }
        return list;
    }

    private static string? NormalizeId(string? id)
    {
        if (id is null) return null;
        var trimmed = id.Trim().TrimStart('<').TrimEnd('>').Trim();
        return trimmed.Length == 0 ? null : trimmed;
    }
}
