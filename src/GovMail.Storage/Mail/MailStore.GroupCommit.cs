using System.Runtime.CompilerServices;
using GovMail.Core.Mail;
using GovMail.Storage.Database;
using GovMail.Storage.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace GovMail.Storage.Mail;

// Group commit of deliveries: one writer per database takes every delivery that arrived while the previous commit ran and
// files them all in one transaction, so many SMTP sessions share one write lock, one round of page writes and one WAL sync.
public sealed partial class MailStore
{
    /// <summary>
    /// The delivery writer of one database. A delivery is queued and its caller awaits its own completion, which is set only
    /// after the transaction holding it has committed (or failed). Nobody waits for a batch to fill: the writer runs while
    /// anything is queued, and what queues up during one commit forms the next batch. A failed batch is retried one delivery
    /// at a time, so a delivery that cannot be filed (its account removed meanwhile) fails alone; a failure of the database
    /// itself fails each of them, and nothing of a failed transaction is kept.
    /// </summary>
    internal sealed class GroupCommit(GovMailDatabase database)
    {
        /// <summary>Most deliveries and changes in one transaction, so one batch never holds the write lock for long.</summary>
        internal const int MaxBatch = 256;

        private static readonly ConditionalWeakTable<GovMailDatabase, GroupCommit> Writers = new();

        private readonly Lock _gate = new();
        private readonly Queue<Work> _queue = new();
        private bool _running;

        /// <summary>The writer of <paramref name="database"/> (one per <see cref="GovMailDatabase"/> instance).</summary>
        public static GroupCommit For(GovMailDatabase database) => Writers.GetValue(database, d => new GroupCommit(d));

        public Task<IReadOnlyList<DeliveredCopy>> SubmitAsync(NewMessage message, IReadOnlyList<DeliveryTarget> targets, DateTimeOffset now)
        {
            if (targets.Count == 0) return Task.FromResult<IReadOnlyList<DeliveredCopy>>([]);
            var pending = new Pending(message, targets, now);
            Enqueue(pending);
            return pending.Done.Task;
        }

        /// <summary>
        /// Runs a change of mailboxes (APPEND, STORE, COPY, MOVE, EXPUNGE) in the next batch's transaction, under a savepoint
        /// of its own (or as the whole transaction when nothing else is queued): if it throws or <see cref="WriteScope.Discard"/>s,
        /// only its own writes are rolled back. Its result
        /// is handed back once the batch has committed, so a caller told "done" finds the change durable.
        /// </summary>
        public Task<T> RunAsync<T>(Func<GovMailDbContext, WriteScope, CancellationToken, Task<T>> change)
        {
            var work = new Change<T>(change);
            Enqueue(work);
            return work.Done.Task;
        }

        private void Enqueue(Work work)
        {
            bool start;
            lock (_gate)
            {
                _queue.Enqueue(work);
                start = !_running;
                _running = true;
            }
            if (start) _ = Task.Run(DrainAsync);
        }

        private async Task DrainAsync()
        {
            while (true)
            {
                List<Work> batch;
                lock (_gate)
                {
                    if (_queue.Count == 0)
                    {
                        _running = false;
                        return;
                    }
                    batch = new List<Work>(Math.Min(_queue.Count, MaxBatch));
                    while (batch.Count < MaxBatch && _queue.TryDequeue(out var p)) batch.Add(p);
                }
                await CommitAsync(batch);
            }
        }

        /// <summary>
        /// One transaction for the batch: the deliveries together (one at a time if together they fail), then each change
        /// under its own savepoint (a change alone in the batch needs none); then one commit, and only then is anyone told.
        /// A failed commit fails them all.
        /// </summary>
        private async Task CommitAsync(List<Work> batch)
        {
            var ct = CancellationToken.None;
            var outcomes = new Action[batch.Count];
            try
            {
                await using var db = database.Open();
                // Each change has its own savepoint (SavepointAsync); EF Core's own one around every SaveChanges would only
                // add two statements to each.
                db.Database.AutoSavepointsEnabled = false;
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                if (batch is [not Pending and var alone])
                {
                    // Alone in its transaction, a change needs no savepoint: its refusal or failure rolls the whole back.
                    outcomes[0] = await alone.RunAloneAsync(db, tx);
                }
                else
                {
                    await WriteBatchAsync(db, tx, batch, outcomes);
                    await tx.CommitAsync(ct);
                }
            }
            catch (Exception e)
            {
                foreach (var work in batch) work.Fail(e);
                return;
            }
            foreach (var outcome in outcomes) outcome();
        }

        /// <summary>The deliveries of a batch together (one at a time if together they fail), then each change under its own savepoint.</summary>
        private static async Task WriteBatchAsync(GovMailDbContext db, IDbContextTransaction tx, List<Work> batch, Action[] outcomes)
        {
            var deliveries = new List<Pending>();
            var deliveryIndex = new List<int>();
            for (var i = 0; i < batch.Count; i++)
                if (batch[i] is Pending p)
                {
                    deliveries.Add(p);
                    deliveryIndex.Add(i);
                }
            if (deliveries.Count > 0)
            {
                var together = await SavepointAsync(db, tx, (db, _, ct) => WriteAsync(db, deliveries, ct));
                if (together.Error is null)
                {
                    for (var k = 0; k < deliveries.Count; k++)
                    {
                        var (p, copies) = (deliveries[k], together.Value![k]);
                        outcomes[deliveryIndex[k]] = () => p.Done.TrySetResult(copies);
                    }
                }
                else
                {
                    for (var k = 0; k < deliveries.Count; k++)
                    {
                        var p = deliveries[k];
                        var alone = deliveries.Count == 1 ? together : await SavepointAsync(db, tx, (db, _, ct) => WriteAsync(db, [p], ct));
                        outcomes[deliveryIndex[k]] = alone.Error is { } e ? () => p.Done.TrySetException(e) : () => p.Done.TrySetResult(alone.Value![0]);
                    }
                }
            }
            for (var i = 0; i < batch.Count; i++)
                if (batch[i] is not Pending) outcomes[i] = await batch[i].RunAsync(db, tx);
        }

        /// <summary>Runs <paramref name="write"/> under a savepoint, saving its tracked changes; rolled back to it when it fails or discards.</summary>
        internal static async Task<(T? Value, Exception? Error)> SavepointAsync<T>(GovMailDbContext db, IDbContextTransaction tx,
            Func<GovMailDbContext, WriteScope, CancellationToken, Task<T>> write)
        {
            const string name = "work";
            await tx.CreateSavepointAsync(name, CancellationToken.None);
            var quotaMark = QuotaCounters.Mark(db);
            return await KeptOrUndoneAsync(db, write,
                keep: async () =>
                {
                    db.ChangeTracker.Clear();
                    await tx.ReleaseSavepointAsync(name, CancellationToken.None);
                },
                undo: () => UndoAsync(db, tx, name, quotaMark));
        }

        /// <summary>
        /// Runs <paramref name="write"/> and saves its tracked changes, then <paramref name="keep"/>s them; when it discards or
        /// fails, <paramref name="undo"/> instead. The value comes back either way, the change's failure as well; a failure
        /// to keep or to undo is the transaction's and is thrown (the writer fails the whole batch).
        /// </summary>
        private static async Task<(T? Value, Exception? Error)> KeptOrUndoneAsync<T>(GovMailDbContext db,
            Func<GovMailDbContext, WriteScope, CancellationToken, Task<T>> write, Func<Task> keep, Func<Task> undo)
        {
            var scope = new WriteScope();
            T value;
            try
            {
                value = await write(db, scope, CancellationToken.None);
                if (!scope.Discarded) await db.SaveChangesAsync(CancellationToken.None);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                await undo();
                return (default, e);
            }
            await (scope.Discarded ? undo() : keep());
            return (value, null);
        }

        private static async Task UndoAsync(GovMailDbContext db, IDbContextTransaction tx, string name, int quotaMark)
        {
            db.ChangeTracker.Clear();
            await tx.RollbackToSavepointAsync(name, CancellationToken.None);
            await tx.ReleaseSavepointAsync(name, CancellationToken.None);
            QuotaCounters.RollBackTo(db, quotaMark);
        }

        /// <summary>Files a batch of deliveries in the open transaction; copies come back per delivery, in the order of its targets.</summary>
        private static async Task<IReadOnlyList<DeliveredCopy>[]> WriteAsync(GovMailDbContext db, List<Pending> batch, CancellationToken ct)
        {
            var stored = new StoredMessage[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                stored[i] = Stored(batch[i].Message, batch[i].Message.InternalDate ?? batch[i].Now);
                db.Messages.Add(stored[i]);
            }
            // Written first so the transaction holds the write lock before any read (SQLite) and the message rows exist (FK).
            await db.SaveChangesAsync(ct);

            var mailboxes = await MailboxesAsync(db, batch, ct);
            var where = new long[batch.Count][];
            var perMailbox = new SortedDictionary<long, int>();
            for (var i = 0; i < batch.Count; i++)
            {
                var targets = batch[i].Targets;
                where[i] = new long[targets.Count];
                for (var j = 0; j < targets.Count; j++)
                {
                    var id = mailboxes.Find(targets[j]);
                    if (id is null)
                    {
                        await EnsureMailboxesAsync(db, targets[j].AccountId, batch[i].Now, ct);
                        await db.SaveChangesAsync(ct);
                        mailboxes = await MailboxesAsync(db, batch, ct);
                        id = mailboxes.Find(targets[j]) ?? mailboxes.Find(targets[j] with { MailboxName = null })
                            ?? throw new InvalidOperationException($"no {targets[j].Role} mailbox for account {targets[j].AccountId}");
                    }
                    where[i][j] = id.Value;
                    perMailbox[id.Value] = perMailbox.GetValueOrDefault(id.Value) + 1;
                }
            }

            // Mailbox rows are locked in ascending id, then the quota rows in ascending account: the order the other changes
            // of mailboxes use, so a concurrent IMAP change and a batch wait for each other instead of deadlocking.
            var next = new Dictionary<long, (uint Uid, long ModSeq)>(perMailbox.Count);
            foreach (var (mailboxId, count) in perMailbox)
            {
                var a = await AllocateAsync(db, mailboxId, count, ct, modSeqs: count)
                    ?? throw new InvalidOperationException($"mailbox {mailboxId} vanished during delivery");
                next[mailboxId] = (a.FirstUid, a.ModSeq);
            }
            var quota = new SortedDictionary<Guid, (long Bytes, long Messages)>();
            var results = new IReadOnlyList<DeliveredCopy>[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                var targets = batch[i].Targets;
                var copies = new DeliveredCopy[targets.Count];
                for (var j = 0; j < targets.Count; j++)
                {
                    var target = targets[j];
                    var mailboxId = where[i][j];
                    var (uid, modSeq) = next[mailboxId];
                    next[mailboxId] = (uid + 1, modSeq + 1);
                    db.MailboxMessages.Add(new MailboxMessage
                    {
                        MailboxId = mailboxId,
                        MessageId = stored[i].Id,
                        Uid = uid,
                        ModSeq = modSeq,
                        Flags = target.Flags,
                        InternalDate = stored[i].ReceivedAt,
                        Size = stored[i].Size,
                        SavedAt = batch[i].Now,
                    }.WithSortKeys(stored[i].Subject, stored[i].FromName, stored[i].FromAddress));
                    var q = quota.GetValueOrDefault(target.AccountId);
                    quota[target.AccountId] = (q.Bytes + stored[i].Size, q.Messages + 1);
                    if (target.RecordAs is { } kind)
                        UsageRecorder.Add(db, target.Address, target.AccountId, kind, target.Protocol, target.RemoteAddress, batch[i].Now);
                    copies[j] = new DeliveredCopy(target.AccountId, mailboxId, uid, modSeq);
                }
                results[i] = copies;
            }
            foreach (var (accountId, (bytes, messages)) in quota) await AddQuotaAsync(db, accountId, bytes, messages, ct);
            await db.SaveChangesAsync(ct);
            return results;
        }

        private static async Task<MailboxIndex> MailboxesAsync(GovMailDbContext db, List<Pending> batch, CancellationToken ct)
        {
            var accounts = new HashSet<Guid>();
            foreach (var p in batch)
                foreach (var t in p.Targets) accounts.Add(t.AccountId);
            var ids = accounts.ToList();
            var rows = await db.Mailboxes.AsNoTracking().Where(m => ids.Contains(m.AccountId))
                .Select(m => new MailboxRow(m.Id, m.AccountId, m.Name, m.Role)).ToListAsync(ct);
            return new MailboxIndex(rows);
        }

        /// <summary>Something queued for the writer: a delivery or a change.</summary>
        private abstract class Work
        {
            /// <summary>Runs a change under its savepoint; returns how to tell its caller, once the batch has committed.</summary>
            public virtual Task<Action> RunAsync(GovMailDbContext db, IDbContextTransaction tx) =>
                throw new InvalidOperationException("deliveries are written together");

            /// <summary>Runs a change as the whole of the transaction, which it commits or rolls back.</summary>
            public virtual Task<Action> RunAloneAsync(GovMailDbContext db, IDbContextTransaction tx) =>
                throw new InvalidOperationException("deliveries are written together");

            public abstract void Fail(Exception e);
        }

        private sealed class Pending(NewMessage message, IReadOnlyList<DeliveryTarget> targets, DateTimeOffset now) : Work
        {
            public NewMessage Message => message;
            public IReadOnlyList<DeliveryTarget> Targets => targets;
            public DateTimeOffset Now => now;
            public TaskCompletionSource<IReadOnlyList<DeliveredCopy>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

            public override void Fail(Exception e) => Done.TrySetException(e);
        }

        private sealed class Change<T>(Func<GovMailDbContext, WriteScope, CancellationToken, Task<T>> change) : Work
        {
            public TaskCompletionSource<T> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

            public override async Task<Action> RunAsync(GovMailDbContext db, IDbContextTransaction tx) =>
                Outcome(await SavepointAsync(db, tx, change));

            public override async Task<Action> RunAloneAsync(GovMailDbContext db, IDbContextTransaction tx) =>
                Outcome(await KeptOrUndoneAsync(db, change,
                    keep: () => tx.CommitAsync(CancellationToken.None),
                    undo: async () =>
                    {
                        db.ChangeTracker.Clear();
                        await tx.RollbackAsync(CancellationToken.None);
                    }));

            private Action Outcome((T? Value, Exception? Error) run) =>
                run.Error is { } error ? () => Done.TrySetException(error) : () => Done.TrySetResult(run.Value!);

            public override void Fail(Exception e) => Done.TrySetException(e);
        }

        private readonly record struct MailboxRow(long Id, Guid AccountId, string Name, MailboxRole Role);

        /// <summary>The mailboxes of a batch's accounts, found by role or, when a target names one, by name.</summary>
        private sealed class MailboxIndex(List<MailboxRow> rows)
        {
            public long? Find(DeliveryTarget t)
            {
                foreach (var r in rows)
                    if (r.AccountId == t.AccountId && (t.MailboxName is not null ? r.Name == t.MailboxName : r.Role == t.Role))
                        return r.Id;
                return null;
            }
        }
    }
}

/// <summary>
/// What a change run by <see cref="MailStore"/>'s writer may say about its own writes: <see cref="Discard"/> rolls them back
/// (a refusal found after something was written, such as a MODSEQ taken) while the result is still handed back.
/// </summary>
public sealed class WriteScope
{
    public bool Discarded { get; private set; }

    public void Discard() => Discarded = true;
}
