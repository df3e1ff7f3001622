using GovMail.Core.Accounts;
using GovMail.Core.Audit;
using GovMail.Core.Directory;
using GovMail.Core.Mail;
using GovMail.Core.Usage;
using GovMail.Core.Security;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace GovMail.Storage.Database;

/// <summary>
/// The one EF Core model of GovMail's metadata. Each engine has its own subclass only so that each keeps its own
/// migrations (<see cref="SqliteGovMailDbContext"/>, <see cref="PostgresGovMailDbContext"/>).
/// </summary>
public abstract class GovMailDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>A directory change was saved and waits for its commit (<see cref="DirectoryChangeInterceptor"/>).</summary>
    internal bool DirectoryChangePending { get; set; }

    /// <summary>Quota changes saved in the current transaction, for <see cref="Mail.QuotaCounters"/> once it ends.</summary>
    internal List<(Guid AccountId, long Bytes)>? QuotaChangesPending { get; set; }

    // A transaction disposed without commit or rollback (an exception on the way) rolled back: the counters learn it here.
    // Contexts are pooled (GovMailDatabase.Open): the fields above are cleared before the context goes back.
    public override void Dispose()
    {
        Mail.QuotaCounters.End(this, committed: false);
        DirectoryChangePending = false;
        base.Dispose();
    }

    public override ValueTask DisposeAsync()
    {
        Mail.QuotaCounters.End(this, committed: false);
        DirectoryChangePending = false;
        return base.DisposeAsync();
    }

    public DbSet<Tenant> Tenants => Set<Tenant>();
    public DbSet<MailDomain> Domains => Set<MailDomain>();
    public DbSet<OrgUnit> Units => Set<OrgUnit>();
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<AccountTransition> AccountHistory => Set<AccountTransition>();
    public DbSet<PasswordHistoryEntry> PasswordHistory => Set<PasswordHistoryEntry>();
    public DbSet<Alias> Aliases => Set<Alias>();
    public DbSet<DistributionGroup> Groups => Set<DistributionGroup>();
    public DbSet<GroupMember> GroupMembers => Set<GroupMember>();
    public DbSet<AuditEntry> Audit => Set<AuditEntry>();
    public DbSet<LoginFailure> LoginFailures => Set<LoginFailure>();
    public DbSet<Mailbox> Mailboxes => Set<Mailbox>();
    public DbSet<StoredMessage> Messages => Set<StoredMessage>();
    public DbSet<MailboxMessage> MailboxMessages => Set<MailboxMessage>();
    public DbSet<ExpungedMessage> ExpungedMessages => Set<ExpungedMessage>();
    public DbSet<QuotaUsage> QuotaUsage => Set<QuotaUsage>();
    public DbSet<UsageEvent> UsageEvents => Set<UsageEvent>();
    public DbSet<OutboundMessage> Outbound => Set<OutboundMessage>();
    public DbSet<OutboundRecipient> OutboundRecipients => Set<OutboundRecipient>();
    public DbSet<UsageDay> UsageDays => Set<UsageDay>();
    public DbSet<UsageMonth> UsageMonths => Set<UsageMonth>();
    public DbSet<UsageFoldState> UsageFoldState => Set<UsageFoldState>();
    public DbSet<UsageAccountSummary> UsageAccountSummaries => Set<UsageAccountSummary>();
    public DbSet<UsageExemption> UsageExemptions => Set<UsageExemption>();
    public DbSet<UsageReminder> UsageReminders => Set<UsageReminder>();
    public DbSet<UsagePolicy> UsagePolicies => Set<UsagePolicy>();
    public DbSet<GovernanceDecision> GovernanceDecisions => Set<GovernanceDecision>();
    public DbSet<ReRegistrationBar> ReRegistrationBars => Set<ReRegistrationBar>();
    public DbSet<Jobs.JobLease> JobLeases => Set<Jobs.JobLease>();
    public DbSet<Mail.ImportedFolder> ImportedFolders => Set<Mail.ImportedFolder>();
    public DbSet<ScheduledAccountAction> ScheduledActions => Set<ScheduledAccountAction>();
    public DbSet<DeliveryRule> DeliveryRules => Set<DeliveryRule>();
    public DbSet<AutoReplySent> AutoRepliesSent => Set<AutoReplySent>();
    public DbSet<AdminRoleGrant> AdminRoles => Set<AdminRoleGrant>();
    public DbSet<TotpEnrollment> TotpEnrollments => Set<TotpEnrollment>();
    public DbSet<MailboxKeeper> MailboxKeepers => Set<MailboxKeeper>();
    public DbSet<ProfileChangeRequest> ProfileChangeRequests => Set<ProfileChangeRequest>();
    public DbSet<AdminApiToken> AdminApiTokens => Set<AdminApiToken>();

    /// <summary>
    /// The web's data-protection key ring (the keys that seal session and antiforgery cookies), one ring for every node, so a
    /// browser signed in on one node is signed in on all (docs/scale-out.md). Each key's XML is encrypted with the secret key.
    /// </summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public abstract DatabaseProvider Provider { get; }

    /// <summary>Every save that appends audit entries links them into the hash chain (<see cref="AuditChain"/>) first.</summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var appended = ChangeTracker.Entries<AuditEntry>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        if (appended.Count == 0) return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        if (Database.CurrentTransaction is not null)
        {
            await LinkAuditAsync(appended, cancellationToken);
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        // SQLite's transactions here begin IMMEDIATE, taking the write lock before the chain's end is read.
        await using var transaction = await Database.BeginTransactionAsync(cancellationToken);
        await LinkAuditAsync(appended, cancellationToken);
        var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return written;
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        if (ChangeTracker.Entries<AuditEntry>().Any(e => e.State == EntityState.Added))
            throw new InvalidOperationException("Audit entries are appended with SaveChangesAsync, which links them into the hash chain.");
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    private async Task LinkAuditAsync(List<AuditEntry> appended, CancellationToken ct)
    {
        // One writer at a time extends the chain, across nodes; released when the transaction ends.
        if (Provider == DatabaseProvider.Postgres)
            await Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(6817204519)", ct);
        var last = await Audit.AsNoTracking().OrderByDescending(a => a.Id).Select(a => new { a.Id, a.Hash }).FirstOrDefaultAsync(ct);
        var previous = last?.Hash ?? AuditChain.Genesis;
        if (last is not null && last.Hash is null)
        {
            // Entries written before the chain existed are sealed into it, oldest first, the first time it grows.
            var legacy = await Audit.Where(a => a.Hash == null).OrderBy(a => a.Id).ToListAsync(ct);
            var sealedFrom = await Audit.AsNoTracking().Where(a => a.Hash != null).OrderByDescending(a => a.Id).Select(a => a.Hash).FirstOrDefaultAsync(ct);
            previous = sealedFrom ?? AuditChain.Genesis;
            foreach (var entry in legacy) previous = AuditChain.Link(entry, previous);
        }
        foreach (var entry in appended) previous = AuditChain.Link(entry, previous);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            // SQLite has no timestamp-with-offset type; store UTC ticks so ordering and comparison work in SQL.
            configuration.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToUtcTicksConverter>();
            configuration.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToUtcTicksConverter>();
        }
        else
        {
            // timestamptz takes only UTC offsets; a Date header's +07:00 is normalised rather than refused.
            configuration.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToUtcConverter>();
            configuration.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToUtcConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<Tenant>(e =>
        {
            e.ToTable("tenants");
            e.Property(t => t.Name).HasMaxLength(200);
            e.Property(t => t.TimeZoneId).HasMaxLength(64);
            e.HasMany(t => t.Domains).WithOne().HasForeignKey(d => d.TenantId).OnDelete(DeleteBehavior.Cascade);
            e.Ignore(t => t.PrimaryDomain);
            e.OwnsOne(t => t.Policy, p =>
            {
                p.Property(x => x.FirstLoginWindowDays).HasColumnName("first_login_window_days");
                p.Property(x => x.DefaultQuotaBytes).HasColumnName("default_quota_bytes");
                p.Property(x => x.ClosedRetentionDays).HasColumnName("closed_retention_days");
                p.Property(x => x.AddressQuarantineDays).HasColumnName("address_quarantine_days");
                p.Property(x => x.InboundQuarantine).HasColumnName("inbound_quarantine").HasConversion<string>().HasMaxLength(20)
                    .HasDefaultValue(InboundQuarantine.Dmarc);
                p.Property(x => x.ProfileChangesNeedApproval).HasColumnName("profile_changes_need_approval").HasDefaultValue(false);
                p.OwnsOne(x => x.Password, pw =>
                {
                    pw.Property(x => x.MinLength).HasColumnName("password_min_length");
                    pw.Property(x => x.MaxLength).HasColumnName("password_max_length");
                    pw.Property(x => x.RequireUpper).HasColumnName("password_require_upper");
                    pw.Property(x => x.RequireLower).HasColumnName("password_require_lower");
                    pw.Property(x => x.RequireDigit).HasColumnName("password_require_digit");
                    pw.Property(x => x.RequireSpecial).HasColumnName("password_require_special");
                    pw.Property(x => x.HistoryCount).HasColumnName("password_history_count");
                    pw.Property(x => x.ExpiryDays).HasColumnName("password_expiry_days");
                });
                p.Navigation(x => x.Password).IsRequired();
                p.OwnsOne(x => x.Lockout, lo =>
                {
                    lo.Property(x => x.MaxFailedLogins).HasColumnName("lockout_max_failed_logins");
                    lo.Property(x => x.WindowMinutes).HasColumnName("lockout_window_minutes");
                    lo.Property(x => x.LockoutMinutes).HasColumnName("lockout_minutes");
                    lo.Property(x => x.DelayCapSeconds).HasColumnName("lockout_delay_cap_seconds");
                });
                p.Navigation(x => x.Lockout).IsRequired();
            });
            e.Navigation(t => t.Policy).IsRequired();
        });

        b.Entity<MailDomain>(e =>
        {
            e.ToTable("domains");
            e.Property(d => d.Name).HasMaxLength(253);
            e.HasIndex(d => d.Name).IsUnique();
        });

        b.Entity<OrgUnit>(e =>
        {
            e.ToTable("units");
            e.Property(u => u.Name).HasMaxLength(200);
            e.Property(u => u.Kind).HasConversion<string>().HasMaxLength(20);
            e.HasOne<Tenant>().WithMany().HasForeignKey(u => u.TenantId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<OrgUnit>().WithMany().HasForeignKey(u => u.ParentId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Account>().WithMany().HasForeignKey(u => u.HeadAccountId).OnDelete(DeleteBehavior.SetNull);
            e.HasIndex(u => new { u.TenantId, u.ParentId, u.Name }).IsUnique();
        });

        b.Entity<Account>(e =>
        {
            e.ToTable("accounts");
            e.Property(a => a.Address).HasMaxLength(320);
            e.Property(a => a.DisplayName).HasMaxLength(200);
            e.Property(a => a.Title).HasMaxLength(200);
            e.Property(a => a.Phone).HasMaxLength(40);
            e.Property(a => a.StaffNumber).HasMaxLength(40);
            e.Property(a => a.PasswordHash).HasMaxLength(200);
            e.Property(a => a.Kind).HasConversion<string>().HasMaxLength(20);
            e.Property(a => a.Role).HasConversion<string>().HasMaxLength(30);
            e.Property(a => a.State).HasConversion<string>().HasMaxLength(30);
            e.Property(a => a.LockReason).HasConversion<string>().HasMaxLength(40);
            e.Property(a => a.Version).IsConcurrencyToken();
            e.Ignore(a => a.LocalPart);
            e.Ignore(a => a.Domain);
            e.HasOne<Tenant>().WithMany().HasForeignKey(a => a.TenantId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<OrgUnit>().WithMany().HasForeignKey(a => a.UnitId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(a => a.Address).IsUnique();
            e.HasIndex(a => new { a.UnitId, a.State });
            e.HasIndex(a => new { a.State, a.PasswordChangeDeadline });
        });

        b.Entity<AccountTransition>(e =>
        {
            e.ToTable("account_history");
            e.Property(t => t.Event).HasMaxLength(40);
            e.Property(t => t.Actor).HasMaxLength(320);
            e.Property(t => t.Reason).HasMaxLength(1000);
            e.Property(t => t.FromState).HasConversion<string>().HasMaxLength(30);
            e.Property(t => t.ToState).HasConversion<string>().HasMaxLength(30);
            e.HasOne<Account>().WithMany().HasForeignKey(t => t.AccountId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(t => new { t.AccountId, t.At });
        });

        b.Entity<PasswordHistoryEntry>(e =>
        {
            e.ToTable("password_history");
            e.Property(p => p.Hash).HasMaxLength(200);
            e.HasOne<Account>().WithMany().HasForeignKey(p => p.AccountId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(p => new { p.AccountId, p.SetAt });
        });

        b.Entity<Alias>(e =>
        {
            e.ToTable("aliases");
            e.Property(a => a.Address).HasMaxLength(320);
            e.HasIndex(a => a.Address).IsUnique();
            e.HasIndex(a => a.ExpiresAt);
            e.HasOne<Account>().WithMany().HasForeignKey(a => a.AccountId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<DistributionGroup>(e =>
        {
            e.ToTable("groups");
            e.Property(g => g.Address).HasMaxLength(320);
            e.Property(g => g.Name).HasMaxLength(200);
            e.Ignore(g => g.IsAutomatic);
            e.HasIndex(g => g.Address).IsUnique();
            e.HasIndex(g => g.UnitId).IsUnique();
            e.HasOne<OrgUnit>().WithMany().HasForeignKey(g => g.UnitId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(g => g.Members).WithOne().HasForeignKey(m => m.GroupId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<GroupMember>(e =>
        {
            e.ToTable("group_members");
            e.HasKey(m => new { m.GroupId, m.AccountId });
            e.HasOne<Account>().WithMany().HasForeignKey(m => m.AccountId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<Mailbox>(e =>
        {
            e.ToTable("mailboxes");
            e.Property(m => m.Name).HasMaxLength(500);
            e.Property(m => m.Role).HasConversion<string>().HasMaxLength(20);
            e.HasOne<Account>().WithMany().HasForeignKey(m => m.AccountId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(m => new { m.AccountId, m.Name }).IsUnique();
        });

        b.Entity<StoredMessage>(e =>
        {
            e.ToTable("messages");
            e.Property(m => m.BlobKey).HasMaxLength(200);
            e.Property(m => m.Subject).HasMaxLength(1000);
            e.Property(m => m.FromAddress).HasMaxLength(320);
            e.Property(m => m.FromName).HasMaxLength(300);
            e.Property(m => m.MessageIdHeader).HasMaxLength(1000);
            e.Property(m => m.Preview).HasMaxLength(300);
            e.HasIndex(m => m.BlobKey).IsUnique();
        });

        b.Entity<MailboxMessage>(e =>
        {
            e.ToTable("mailbox_messages");
            e.Property(m => m.Keywords).HasMaxLength(1000);
            e.HasOne<Mailbox>().WithMany().HasForeignKey(m => m.MailboxId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<StoredMessage>().WithMany().HasForeignKey(m => m.MessageId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(m => new { m.MailboxId, m.Uid }).IsUnique();
            e.HasIndex(m => new { m.MailboxId, m.ModSeq });
            e.HasIndex(m => m.MessageId);
            e.HasIndex(m => new { m.MailboxId, m.SavedAt });
            // The unread messages of a mailbox (SELECT's first unseen, the webmail's unread counts) without reading the read
            // ones, their flags in the index (docs/scale-out.md, "Indexes").
            e.HasIndex(m => new { m.MailboxId, m.Uid, m.Flags }, "IX_mailbox_messages_MailboxId_Uid_Flags_Unseen").HasFilter("(\"Flags\" & 1) = 0");
            // The webmail's list (docs/web.md, "Benchmark"): a folder counted and paged with its flags read from the index
            // alone, and sorted by subject or sender through the sort keys copied from the message.
            e.Property(m => m.SortSubject).HasMaxLength(MailboxMessage.SortKeyLength);
            e.Property(m => m.SortSender).HasMaxLength(MailboxMessage.SortKeyLength);
            e.HasIndex(m => new { m.MailboxId, m.Uid, m.Flags });
            e.HasIndex(m => new { m.MailboxId, m.SortSubject, m.Uid });
            e.HasIndex(m => new { m.MailboxId, m.SortSender, m.Uid });
        });

        b.Entity<ExpungedMessage>(e =>
        {
            e.ToTable("expunged_messages");
            e.HasKey(m => new { m.MailboxId, m.Uid });
            e.HasOne<Mailbox>().WithMany().HasForeignKey(m => m.MailboxId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(m => new { m.MailboxId, m.ModSeq });
        });

        b.Entity<QuotaUsage>(e =>
        {
            e.ToTable("quota_usage");
            e.HasKey(q => q.AccountId);
            e.HasOne<Account>().WithOne().HasForeignKey<QuotaUsage>(q => q.AccountId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<UsageEvent>(e =>
        {
            e.ToTable("usage_events");
            e.Property(u => u.Address).HasMaxLength(320);
            e.Property(u => u.Kind).HasConversion<string>().HasMaxLength(20);
            e.Property(u => u.Protocol).HasConversion<string>().HasMaxLength(20);
            e.Property(u => u.RemoteAddress).HasMaxLength(64);
            e.HasIndex(u => new { u.AccountId, u.At });
            e.HasIndex(u => u.At);
            if (Provider == DatabaseProvider.Postgres)
            {
                // Partitioned by local month on PostgreSQL (Usage.UsageEventPartitions): the key must hold the partition key.
                e.HasKey(u => new { u.Id, u.At });
                e.Property(u => u.Id).ValueGeneratedOnAdd().UseIdentityByDefaultColumn();
            }
        });

        b.Entity<OutboundMessage>(e =>
        {
            e.ToTable("outbound");
            e.Property(o => o.BlobKey).HasMaxLength(200);
            e.Property(o => o.MailFrom).HasMaxLength(320);
            e.Property(o => o.State).HasConversion<string>().HasMaxLength(20);
            e.Property(o => o.LastError).HasMaxLength(2000);
            e.Property(o => o.DsnReturn).HasMaxLength(10);
            e.Property(o => o.DsnEnvelopeId).HasMaxLength(200);
            e.HasMany(o => o.Recipients).WithOne().HasForeignKey(r => r.OutboundMessageId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(o => new { o.State, o.NextAttemptAt });
        });

        b.Entity<OutboundRecipient>(e =>
        {
            e.ToTable("outbound_recipients");
            e.Property(r => r.Address).HasMaxLength(320);
            e.Property(r => r.State).HasConversion<string>().HasMaxLength(20);
            e.Property(r => r.LastReply).HasMaxLength(2000);
            e.Property(r => r.DsnNotify).HasMaxLength(100);
            e.Property(r => r.DsnOriginalRecipient).HasMaxLength(500);
        });

        b.Entity<LoginFailure>(e =>
        {
            e.ToTable("login_failures");
            e.Property(f => f.User).HasMaxLength(320);
            e.Property(f => f.RemoteAddress).HasMaxLength(64);
            e.Property(f => f.Protocol).HasConversion<string>().HasMaxLength(20);
            e.HasIndex(f => new { f.AccountId, f.At });
            e.HasIndex(f => new { f.RemoteAddress, f.At });
            e.HasIndex(f => f.At);
        });

        b.Entity<AuditEntry>(e =>
        {
            e.ToTable("audit");
            e.Property(a => a.Actor).HasMaxLength(320);
            e.Property(a => a.Action).HasMaxLength(80);
            e.Property(a => a.Target).HasMaxLength(320);
            e.Property(a => a.Detail).HasMaxLength(4000);
            e.Property(a => a.PreviousHash).HasMaxLength(64);
            e.Property(a => a.Hash).HasMaxLength(64);
            e.HasIndex(a => a.At);
            // One successor per entry: two writers racing for the same link cannot both commit.
            e.HasIndex(a => a.PreviousHash).IsUnique();
        });

        // Usage room: daily rows folded from usage_events, exemptions, reminders, policy and governance decisions.
        b.Entity<UsageDay>(e =>
        {
            e.ToTable("usage_daily");
            e.HasKey(d => new { d.AccountId, d.Day });
            e.HasIndex(d => d.Day);
        });

        b.Entity<UsageMonth>(e =>
        {
            e.ToTable("usage_monthly");
            e.HasKey(m => new { m.AccountId, m.Month });
            e.HasIndex(m => m.Month);
        });

        b.Entity<UsageFoldState>(e =>
        {
            e.ToTable("usage_fold_state");
            e.Property(f => f.Id).ValueGeneratedNever();
            e.HasData(new UsageFoldState { Id = 1, LastEventId = 0 });
        });

        b.Entity<UsageAccountSummary>(e =>
        {
            e.ToTable("usage_account_summaries");
            e.HasKey(s => s.AccountId);
        });

        b.Entity<UsageExemption>(e =>
        {
            e.ToTable("usage_exemptions");
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Reason).HasMaxLength(1000);
            e.Property(x => x.RecordedBy).HasMaxLength(320);
            e.HasOne<Account>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.AccountId, x.From });
        });

        b.Entity<UsageReminder>(e =>
        {
            e.ToTable("usage_reminders");
            e.Property(r => r.Period).HasMaxLength(10);
            e.Property(r => r.SentBy).HasMaxLength(320);
            e.Property(r => r.Note).HasMaxLength(1000);
            e.HasOne<Account>().WithMany().HasForeignKey(r => r.AccountId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(r => new { r.AccountId, r.At });
            e.HasIndex(r => r.At);
        });

        b.Entity<UsagePolicy>(e =>
        {
            e.ToTable("usage_policies");
            e.HasKey(p => p.TenantId);
            e.HasOne<Tenant>().WithOne().HasForeignKey<UsagePolicy>(p => p.TenantId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<GovernanceDecision>(e =>
        {
            e.ToTable("governance_decisions");
            e.Property(d => d.Quarter).HasMaxLength(10);
            e.Property(d => d.List).HasConversion<string>().HasMaxLength(30);
            e.Property(d => d.Decision).HasConversion<string>().HasMaxLength(10);
            e.Property(d => d.Reason).HasMaxLength(1000);
            e.Property(d => d.DecidedBy).HasMaxLength(320);
            e.HasOne<Account>().WithMany().HasForeignKey(d => d.AccountId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(d => new { d.Quarter, d.List, d.AccountId }).IsUnique();
        });

        b.Entity<ReRegistrationBar>(e =>
        {
            e.ToTable("reregistration_bars");
            e.Property(x => x.Address).HasMaxLength(320);
            e.Property(x => x.DisplayName).HasMaxLength(200);
            e.Property(x => x.NameKey).HasMaxLength(200);
            e.Property(x => x.StaffNumber).HasMaxLength(40);
            e.Property(x => x.Quarter).HasMaxLength(10);
            e.Property(x => x.RecordedBy).HasMaxLength(320);
            e.Property(x => x.LiftedBy).HasMaxLength(320);
            e.Property(x => x.LiftReason).HasMaxLength(1000);
            e.HasIndex(x => new { x.AccountId, x.Quarter }).IsUnique();
            e.HasIndex(x => x.StaffNumber);
            e.HasIndex(x => x.NameKey);
            e.HasIndex(x => x.Address);
        });

        // Lifecycle room: state changes due later, forwarding and automatic replies for departed officials.
        b.Entity<ScheduledAccountAction>(e =>
        {
            e.ToTable("scheduled_account_actions");
            e.Property(x => x.Action).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.DecidedBy).HasMaxLength(320);
            e.Property(x => x.Reason).HasMaxLength(1000);
            e.Property(x => x.Outcome).HasMaxLength(80);
            e.HasOne<Account>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.DoneAt, x.DueAt });
            e.HasIndex(x => x.AccountId);
        });

        b.Entity<DeliveryRule>(e =>
        {
            e.ToTable("delivery_rules");
            e.Property(x => x.ForwardTo).HasMaxLength(320);
            e.Property(x => x.AutoReplySubject).HasMaxLength(300);
            e.Property(x => x.AutoReplyBody).HasMaxLength(4000);
            e.Property(x => x.CreatedBy).HasMaxLength(320);
            e.Property(x => x.Reason).HasMaxLength(1000);
            e.HasOne<Account>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.AccountId, x.EndsAt });
            e.HasIndex(x => x.EndsAt);
        });

        b.Entity<AutoReplySent>(e =>
        {
            e.ToTable("auto_replies_sent");
            e.Property(x => x.Sender).HasMaxLength(320);
            e.HasOne<DeliveryRule>().WithMany().HasForeignKey(x => x.RuleId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.RuleId, x.Sender, x.At });
        });

        b.Entity<AdminRoleGrant>(e =>
        {
            e.ToTable("admin_roles");
            e.Property(x => x.Role).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.GrantedBy).HasMaxLength(320);
            e.HasOne<Account>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<OrgUnit>().WithMany().HasForeignKey(x => x.ScopeUnitId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.AccountId, x.Role, x.ScopeUnitId }).IsUnique();
        });

        b.Entity<TotpEnrollment>(e =>
        {
            e.ToTable("admin_totp");
            e.HasKey(x => x.AccountId);
            e.Property(x => x.ProtectedSecret).HasMaxLength(200);
            // Two sign-ins racing with the same code: the second save finds the step moved and is refused.
            e.Property(x => x.LastUsedStep).IsConcurrencyToken();
            e.HasOne<Account>().WithOne().HasForeignKey<TotpEnrollment>(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<MailboxKeeper>(e =>
        {
            e.ToTable("mailbox_keepers");
            e.Property(x => x.AssignedBy).HasMaxLength(320);
            e.HasOne<Account>().WithMany().HasForeignKey(x => x.MailboxAccountId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Account>().WithMany().HasForeignKey(x => x.KeeperAccountId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.MailboxAccountId, x.KeeperAccountId }).IsUnique();
            e.HasIndex(x => x.KeeperAccountId);
        });

        b.Entity<ProfileChangeRequest>(e =>
        {
            e.ToTable("profile_change_requests");
            e.Property(x => x.DisplayName).HasMaxLength(200);
            e.Property(x => x.Title).HasMaxLength(200);
            e.Property(x => x.Phone).HasMaxLength(40);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.DecidedBy).HasMaxLength(320);
            e.Property(x => x.Reason).HasMaxLength(500);
            e.HasOne<Account>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.Status, x.AccountId });
        });

        b.Entity<AdminApiToken>(e =>
        {
            e.ToTable("admin_api_tokens");
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.Prefix).HasMaxLength(20);
            e.Property(x => x.Hash).HasMaxLength(64);
            e.Property(x => x.CreatedBy).HasMaxLength(320);
            e.Property(x => x.RevokedBy).HasMaxLength(320);
            e.HasIndex(x => x.Hash).IsUnique();
            e.HasIndex(x => x.AccountId);
            e.HasOne<Account>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<DataProtectionKey>(e => e.ToTable("data_protection_keys"));

        b.Entity<Jobs.JobLease>(e =>
        {
            e.ToTable("job_leases");
            e.HasKey(j => j.Name);
            e.Property(j => j.Name).HasMaxLength(100);
            e.Property(j => j.Holder).HasMaxLength(200);
            e.Property(j => j.LastError).HasMaxLength(1000);
        });

        b.Entity<Mail.ImportedFolder>(e =>
        {
            e.ToTable("imported_folders");
            e.HasKey(f => new { f.AccountId, f.Source, f.SourceFolder });
            e.Property(f => f.Source).HasMaxLength(Mail.MailImport.MaxSourceLength);
            e.Property(f => f.SourceFolder).HasMaxLength(Mail.MailImport.MaxSourceFolderLength);
            e.HasOne<Account>().WithMany().HasForeignKey(f => f.AccountId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}

/// <summary>Normalises a <see cref="DateTimeOffset"/> to UTC (PostgreSQL timestamptz).</summary>
internal sealed class DateTimeOffsetToUtcConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
    v => v.ToUniversalTime(), v => v);

/// <summary>Stores a <see cref="DateTimeOffset"/> as UTC ticks (SQLite).</summary>
internal sealed class DateTimeOffsetToUtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));

/// <summary>A password an account used before, kept as its hash so it cannot be used again.</summary>
public sealed class PasswordHistoryEntry
{
    public long Id { get; set; }
    public Guid AccountId { get; set; }
    public required string Hash { get; set; }
    public DateTimeOffset SetAt { get; set; }
}


public sealed class SqliteGovMailDbContext(DbContextOptions<SqliteGovMailDbContext> options) : GovMailDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresGovMailDbContext(DbContextOptions<PostgresGovMailDbContext> options) : GovMailDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
