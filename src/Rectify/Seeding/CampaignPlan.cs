using Rectify.Calendar;
using Rectify.Identity;
using Rectify.Issues;
using Rectify.Issues.Accepting;
using Rectify.Issues.Assigning;
using Rectify.Issues.Closing;
using Rectify.Issues.Collecting;
using Rectify.Issues.Escalating;
using Rectify.Issues.Explaining;
using Rectify.Issues.Extending;
using Rectify.Issues.Feedback;
using Rectify.Issues.Rerouting;
using Rectify.Issues.Resolving;
using Rectify.Issues.ResolvingOnSpot;
using Rectify.Issues.Returning;
using Rectify.ReferenceData;
using Rectify.Supervision;
using Rectify.Visits;
using Rectify.Visits.WechatGroups;

namespace Rectify.Seeding;

/// <summary>One stream to start: its id, the aggregate it folds into (null for a visit) and its events.</summary>
public sealed record SeedStream(Guid Id, Type? Aggregate, IReadOnlyList<object> Events);

/// <summary>
/// A whole campaign, generated deterministically from a seed: visits to every household, WeChat groups and posts,
/// and every issue's lifecycle decided by the same pure decision functions the API runs, so each event is one the
/// API could have produced. No deadline messages are scheduled: supervision checks are decided in place, and the
/// notices they send are stored as received when they were issued.
/// </summary>
public sealed class CampaignPlan
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private const int CampaignDays = 56;

    private readonly Random _random;
    private readonly DistrictReferenceData _references;
    private readonly WorkingCalendar _calendar;
    private readonly SupervisionOptions _supervision = new();
    private readonly Actor _supervisor = new("district-supervisor", Role.DistrictSupervisor, null, null);

    public PublishedFigures Target { get; }
    public int Seed { get; }
    public double Scale { get; }
    public List<SeedStream> Visits { get; } = [];
    public List<SeedStream> Groups { get; } = [];
    public List<SeedStream> Issues { get; } = [];
    /// <summary>Each issue's current routing as its unit's side received it (deliveries are not events).</summary>
    public List<Routing.InboxEntry> Inbox { get; } = [];
    /// <summary>Every supervision notice the decided DeadlineMissed events sent, as its recipient received it.</summary>
    public List<NoticeEntry> Notices { get; } = [];
    public int EventCount => Visits.Count + Groups.Sum(g => g.Events.Count) + Issues.Sum(i => i.Events.Count);

    private readonly List<HouseholdVisited> _visits = [];
    private readonly Dictionary<Guid, List<Guid>> _issuesAtVisit = [];

    public CampaignPlan(int seed, double scale, DistrictReferenceData references, WorkingCalendar calendar)
    {
        if (scale is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(scale), "The scale is a fraction in (0, 1].");
        _random = new Random(seed);
        (Seed, Scale) = (seed, scale);
        _references = references;
        _calendar = calendar;
        Target = PublishedFigures.Campaign.Scaled(scale);

        PlanVisits();
        var groups = PlanGroups();
        PlanIssues(groups);
        foreach (var visit in _visits)
        {
            var issueIds = _issuesAtVisit.GetValueOrDefault(visit.VisitId) ?? [];
            Visits.Add(new SeedStream(visit.VisitId, null, [visit with { IssueIds = issueIds }]));
        }
    }

    private Guid NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    private DateTimeOffset At(int day, double hour) =>
        new DateTimeOffset(PublishedFigures.Start.AddDays(day).ToDateTime(TimeOnly.MinValue), Beijing).AddHours(hour);

    private static Actor Visitor(string townId) => new($"{townId}-visitor", Role.Visitor, townId, null);
    private static Actor TownOffice(string townId) => new($"{townId}-office", Role.TownOffice, townId, null);
    private static Actor Department(string id) => new(id, Role.Department, null, id);
    private static Actor TownLeader(string townId) => new($"{townId}-leader", Role.TownLeader, townId, null);

    /// <summary>Every household of the district (at scale 1) visited once, a few twice; leaflets summing to the published total.</summary>
    private void PlanVisits()
    {
        var grids = _references.Towns.SelectMany(t => t.Communities.SelectMany(c => c.Grids.Select(g => (Town: t, Community: c, Grid: g)))).ToList();
        var total = grids.Sum(g => g.Grid.Households);
        // Largest remainder: each grid's share of the households to visit, summing exactly to the target.
        var shares = grids.Select(g => (g, Exact: (double)g.Grid.Households * Target.HouseholdsVisited / total)).ToList();
        var counts = shares.Select(s => (int)Math.Floor(s.Exact)).ToArray();
        foreach (var i in shares.Select((s, i) => (i, Remainder: s.Exact - Math.Floor(s.Exact))).OrderByDescending(x => x.Remainder).Take(Target.HouseholdsVisited - counts.Sum()).Select(x => x.i))
            counts[i]++;

        for (var g = 0; g < grids.Count; g++)
        {
            var (town, community, grid) = grids[g];
            for (var h = 1; h <= counts[g]; h++)
            {
                var visitor = $"{grid.Id}-v{1 + h % 2}";
                var first = Visit(town.Id, community.Id, grid.Id, $"{h:0000}", visitor, _random.Next(CampaignDays - 7), _random.NextDouble() < 0.93);
                if (_random.NextDouble() < 0.02)
                    Visit(town.Id, community.Id, grid.Id, first.HouseholdId, visitor, Math.Min(CampaignDays - 1, (int)((first.OccurredAt - At(0, 0)).TotalDays) + 7), true);
            }
        }

        HandOutLeaflets();
    }

    /// <summary>
    /// Leaflets only on first visits, 0 to 4 a household (most get 1 or 2), then nudged one at a time at random
    /// households until they sum exactly to the published total.
    /// </summary>
    private void HandOutLeaflets()
    {
        var firsts = new HashSet<(string, string)>();
        var firstIndexes = Enumerable.Range(0, _visits.Count).Where(i => firsts.Add((_visits[i].GridId, _visits[i].HouseholdId))).ToList();
        if (firstIndexes.Count == 0) return;
        var mean = (double)Target.Leaflets / firstIndexes.Count;
        var counts = firstIndexes.Select(_ => Math.Clamp((int)Math.Round(mean + (_random.NextDouble() - 0.5) * 2.4), 0, 4)).ToArray();
        var gap = Target.Leaflets - counts.Sum();
        while (gap != 0)
        {
            var n = _random.Next(counts.Length);
            if (gap > 0 && counts[n] < 4) { counts[n]++; gap--; }
            else if (gap < 0 && counts[n] > 0) { counts[n]--; gap++; }
        }
        for (var n = 0; n < firstIndexes.Count; n++) _visits[firstIndexes[n]] = _visits[firstIndexes[n]] with { Leaflets = counts[n] };
    }

    private HouseholdVisited Visit(string townId, string communityId, string gridId, string householdId, string visitorId, int day, bool anyoneHome)
    {
        var visit = new HouseholdVisited(NewId(), townId, communityId, gridId, householdId, visitorId, anyoneHome, 0, [],
            Visitor(townId), At(day, 9 + _random.NextDouble() * 9));
        _visits.Add(visit);
        return visit;
    }

    /// <summary>社情民意微信群: the published number of groups, registered in the first two weeks, with their posts.</summary>
    private List<WechatGroupRegistered> PlanGroups()
    {
        var communities = _references.Towns.SelectMany(t => t.Communities.Select(c => (Town: t, Community: c))).ToList();
        var registered = new List<WechatGroupRegistered>();
        for (var g = 0; g < Target.WechatGroups; g++)
        {
            var (town, community) = communities[g % communities.Count];
            var id = NewId();
            var created = new WechatGroupRegistered(id, town.Id, community.Id, $"{community.Name}社情民意群{g / communities.Count + 1}",
                80 + _random.Next(420), TownOffice(town.Id), At(_random.Next(14), 10 + _random.NextDouble() * 6));
            registered.Add(created);

            var posts = Target.PolicyPosts / Target.WechatGroups + (g < Target.PolicyPosts % Target.WechatGroups ? 1 : 0);
            var events = new List<object> { created };
            var records = Math.Min(posts, 4);
            for (var r = 0; r < records; r++)
            {
                var count = posts / records + (r < posts % records ? 1 : 0);
                events.Add(new PolicyPosted(id, town.Id, count, "惠民政策宣传", TownOffice(town.Id), created.OccurredAt.AddDays(1 + r * 10).AddHours(r)));
            }
            Groups.Add(new SeedStream(id, typeof(WechatGroup), events));
        }
        return registered;
    }

    private static readonly (string Category, double Weight)[] Categories =
    [
        ("living-environment", 0.30), ("infrastructure", 0.20), ("public-services", 0.15), ("social-security", 0.15),
        ("public-security", 0.10), ("cadre-conduct", 0.03), ("other", 0.07)
    ];

    private string PickCategory()
    {
        var roll = _random.NextDouble();
        foreach (var (category, weight) in Categories)
        {
            if ((roll -= weight) < 0) return category;
        }
        return "other";
    }

    private void PlanIssues(List<WechatGroupRegistered> groups)
    {
        var home = _visits.Where(v => v.AnyoneHome).ToList();
        var early = home.Where(v => v.OccurredAt < At(40, 0)).ToList();
        var late = home.Where(v => v.OccurredAt >= At(38, 0)).ToList();

        for (var i = 0; i < Target.ResolvedOnSpot; i++)
        {
            var visit = home[_random.Next(home.Count)];
            var life = Collect(visit, Channel.Visit, null, visit.OccurredAt);
            life.Do(new ResolveOnSpot("当场协调解决"), Visitor(visit.TownId), visit.OccurredAt.AddMinutes(20));
            Issues.Add(life.ToStream());
        }

        for (var i = 0; i < Target.ResolvedInGroups; i++)
        {
            var group = groups[_random.Next(groups.Count)];
            var at = group.OccurredAt.AddDays(1 + _random.Next(CampaignDays - 16)).AddHours(1);
            var life = Start(group.TownId, group.CommunityId, null, null, Channel.WechatGroup, $"{group.TownId}-group", group.GroupId, at);
            life.Do(new ResolveOnSpot("群内答复办结"), TownOffice(group.TownId), at.AddHours(2));
            Issues.Add(life.ToStream());
        }

        for (var i = 0; i < Target.Ledger; i++)
        {
            var closes = i < Target.Closed;
            var pool = closes ? early : late;
            var visit = pool[_random.Next(pool.Count)];
            var channel = _random.NextDouble() switch { < 0.9 => Channel.Visit, < 0.97 => Channel.Hotline, _ => Channel.WechatGroup };
            var group = channel == Channel.WechatGroup ? groups.FirstOrDefault(g => g.TownId == visit.TownId && g.OccurredAt < visit.OccurredAt) : null;
            if (channel == Channel.WechatGroup && group is null) channel = Channel.Visit;
            var life = channel == Channel.Visit
                ? Collect(visit, channel, null, visit.OccurredAt)
                : Start(visit.TownId, visit.CommunityId, null, null, channel, $"{visit.TownId}-{channel.ToString().ToLowerInvariant()}", group?.GroupId,
                    visit.OccurredAt);
            Work(life, closes);
            life.Supervise(PublishedFigures.End);
            if (life.Receipt() is { } entry) Inbox.Add(entry);
            Issues.Add(life.ToStream());
        }
    }

    private IssueLife Collect(HouseholdVisited visit, Channel channel, Guid? groupId, DateTimeOffset at)
    {
        var life = Start(visit.TownId, visit.CommunityId, visit.GridId, visit.HouseholdId, channel, visit.VisitorId, groupId, at);
        if (!_issuesAtVisit.TryGetValue(visit.VisitId, out var ids)) _issuesAtVisit[visit.VisitId] = ids = [];
        ids.Add(life.Id);
        return life;
    }

    private IssueLife Start(string townId, string communityId, string? gridId, string? householdId, Channel channel, string visitorId, Guid? groupId, DateTimeOffset at)
    {
        var id = NewId();
        var place = $"{_references.FindTown(townId)!.Name}{_references.FindCommunity(communityId)!.Value.Community.Name} {householdId ?? "公共区域"}";
        var command = new CollectIssue(townId, communityId, gridId, householdId, place,
            PickCategory(), Descriptions[_random.Next(Descriptions.Length)], channel, visitorId, at, null, null, null, groupId);
        return new IssueLife(id, command.ToEvent(id, null, channel == Channel.Visit ? Visitor(townId) : TownOffice(townId)), this);
    }

    /// <summary>
    /// One ledger issue's working life: routed to a town office or escalated to a department, sometimes returned,
    /// re-routed or extended, resolved or explained (some late, so supervision records it), feedback (some
    /// dissatisfied and reworked) and, for the closed ones, struck off.
    /// </summary>
    private void Work(IssueLife life, bool closes)
    {
        var town = life.State.TownId;
        var office = TownOffice(town);
        var at = life.State.CollectedAt.AddHours(2);
        var escalate = _random.NextDouble() < 0.3;

        if (!closes && _random.NextDouble() < 0.05) return; // still waiting to be routed

        if (!escalate)
        {
            life.Do(Assignment(life, null, "按归口办理，限期整改"), office, at);
            if (_random.NextDouble() < 0.06)
            {
                var first = life.Routed;
                life.Do(new ReturnIssue("不属本办职责"), office, at = at.AddHours(1));
                var other = _references.FindTown(town)!.Offices.First(o => o.Id != first);
                life.Do(Assignment(life, _references.FindUnit(other.Id), "改派办理"), office, at = at.AddHours(1));
            }
        }
        else
        {
            life.Do(new EscalateIssue(null, "镇街层面无法解决，转区直部门"), office, at);
        }

        if (!closes && _random.NextDouble() < 0.15) return; // not yet accepted

        if (escalate && _random.NextDouble() < 0.05)
        {
            life.Do(new RequestReroute("问题不属本部门职责"), Department(life.Routed), at = at.AddHours(3));
            if (_random.NextDouble() < 0.5) life.Do(new RerouteIssue(_references.FindDepartment("urban-management")!, null), _supervisor, at = at.AddHours(3));
            else life.Do(new RejectReroute("照单全收，由本部门办理"), _supervisor, at = at.AddHours(3));
        }

        var holder = escalate ? Department(life.Routed) : office;
        life.Do(escalate ? DepartmentPlan(life) : new AcceptIssue(), holder, at = DuringOfficeHours(at.AddHours(1 + 3 * _random.NextDouble())));

        if (_random.NextDouble() < 0.07)
        {
            life.Do(new RequestExtension(life.State.Deadline!.Value.AddDays(5), "需协调资金和施工"), holder, at = at.AddHours(1));
            // Nobody approves their own extension: the town's leader decides for its offices, the district for departments.
            life.Do(new ApproveExtension(), escalate ? _supervisor : TownLeader(town), at = at.AddHours(2));
        }

        var late = _random.NextDouble() < 0.1;
        if (late) at = life.MissDeadline(Clocks.EndOf(life.State.Deadline!.Value).AddHours(10));
        if (!closes && _random.NextDouble() < 0.45) return; // still being handled

        var explain = escalate && _random.NextDouble() < 0.15;
        at = at.AddHours(20);
        if (explain)
            // Milestones fall on working days, as the API requires of anyone who gives them.
            life.Do(new ExplainIssue("需纳入年度计划分步实施", [new Milestone(_calendar.NextWorkingDay(WorkingCalendar.ShanghaiDate(at).AddDays(60)), "完成方案"),
                new Milestone(_calendar.NextWorkingDay(WorkingCalendar.ShanghaiDate(at).AddDays(150)), "实施完成")]), holder, at);
        else
            life.Do(new ResolveIssue("已按措施整改到位"), holder, at);

        if (!closes && _random.NextDouble() < 0.6) return; // waiting for the resident's feedback

        var satisfaction = _random.NextDouble() switch
        {
            < 0.75 => Satisfaction.Satisfied, < 0.92 => Satisfaction.BasicallySatisfied, < 0.95 => Satisfaction.Unreachable, _ => Satisfaction.Dissatisfied
        };
        // Who decides is not who judges: the town's visitor asks the resident, never the unit that did the work.
        var visitor = Visitor(town);
        life.Do(new RecordFeedback(satisfaction, null), visitor, at = at.AddHours(20));
        if (satisfaction == Satisfaction.Dissatisfied)
        {
            life.Do(new ResolveIssue("返工后整改到位"), holder, at = at.AddHours(30));
            satisfaction = Satisfaction.Satisfied;
            life.Do(new RecordFeedback(satisfaction, "返工后满意"), visitor, at = at.AddHours(20));
        }

        if (!closes) return;
        // The office that recorded the outcome does not strike it off: the town's leader reviews and closes.
        life.Do(new CloseIssue(), satisfaction == Satisfaction.Unreachable ? _supervisor : TownLeader(town), at.AddHours(2));
    }

    private static readonly string[] DepartmentOffices = ["办公室", "业务科", "综合科", "监督科", "规划建设科", "法规科"];

    /// <summary>
    /// What a department names when it accepts an escalated issue. Drawn from the issue's id (itself drawn from the
    /// seed), not from the generator, so that the rest of the campaign is the same as before departments gave them.
    /// </summary>
    private static AcceptIssue DepartmentPlan(IssueLife life)
    {
        var draw = BitConverter.ToUInt32(life.Id.ToByteArray(), 0);
        var person = Surnames[draw % Surnames.Length] + GivenNames[draw / 16 % GivenNames.Length] + (draw / 256 % 3 == 0 ? "" : GivenNames[draw / 4096 % GivenNames.Length]);
        return new AcceptIssue("现场核查，制定整改方案并限期办理", DepartmentOffices[draw / 65536 % DepartmentOffices.Length], person);
    }

    /// <summary>Offices of a town office (by its kind) that take problems, and given names and surnames of the people in them.</summary>
    private static readonly Dictionary<string, string[]> SectionsByKind = new()
    {
        ["governance"] = ["综治办", "网格管理科", "矛盾调解室", "信访办"],
        ["social-affairs"] = ["民政办", "社会保障所", "卫健办", "教育办"],
        ["economy"] = ["经济发展办", "农业农村办", "规划建设办"],
        ["enforcement"] = ["综合执法队", "环卫所", "市场监管所"]
    };
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "孙", "马", "朱", "胡", "郭", "何", "高", "林"];
    private static readonly string[] GivenNames = ["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞", "平", "刚", "桂英", "建华", "志强", "海燕", "红梅", "国庆"];

    /// <summary>An assignment naming an office of the unit it goes to (by the routing rule when none is given) and a person in it.</summary>
    private AssignIssue Assignment(IssueLife life, Unit? unit, string measures)
    {
        var unitId = unit?.Id ?? _references.TownOfficeFor(life.State.TownId, life.State.CategoryId, WorkingCalendar.ShanghaiDate(life.State.CollectedAt))?.Unit.Id;
        var kind = _references.FindTown(life.State.TownId)!.Offices.FirstOrDefault(o => o.Id == unitId)?.Kind ?? "governance";
        var sections = SectionsByKind.GetValueOrDefault(kind) ?? SectionsByKind["governance"];
        var person = Surnames[_random.Next(Surnames.Length)] + GivenNames[_random.Next(GivenNames.Length)];
        return new AssignIssue(unit, measures, null, sections[_random.Next(sections.Length)], person);
    }

    /// <summary>Offices act in office hours (08:30-18:00, Asia/Shanghai): an act due outside them happens at the next opening.</summary>
    private DateTimeOffset DuringOfficeHours(DateTimeOffset at)
    {
        var local = at.ToOffset(Beijing);
        var opening = new DateTimeOffset(local.Date, Beijing).AddHours(8.5);
        if (local < opening) return opening.AddMinutes(_random.Next(90));
        if (local.TimeOfDay >= TimeSpan.FromHours(18)) return opening.AddDays(1).AddMinutes(_random.Next(90));
        return local;
    }

    private static readonly string[] Descriptions =
    [
        "村口路灯损坏，夜间出行不便", "小区道路破损积水", "生活垃圾清运不及时", "下水道堵塞，污水外溢", "楼道堆放杂物存在消防隐患",
        "医保报销流程不清楚", "养老金领取资格认证困难", "孩子入学政策咨询", "集贸市场周边交通拥堵", "夜间施工噪音扰民",
        "自来水水压不足", "冬季供暖不热", "村内广场缺少健身器材", "低保申请进度查询", "电动车充电难",
        "河道垃圾需要清理", "公交站点设置不合理", "老旧小区改造诉求", "邻里宅基地纠纷", "村务公开不及时"
    ];

    /// <summary>
    /// An issue's stream being decided: every act goes through the decider and must be accepted, and supervision runs
    /// as the live service runs it: each event starts its clocks' checks, and before every later act (and at the end of
    /// the campaign) the checks due by then fire in the order of their times, so notices, clocks and overdue spans are
    /// those a running service would have recorded.
    /// </summary>
    private sealed class IssueLife(Guid id, IssueCollected collected, CampaignPlan plan)
    {
        private readonly List<IIssueEvent> _events = [collected];
        // Collection starts the wait for assignment (the only clock an event starts with no state before it).
        private readonly List<CheckClock> _pending = [AssignmentClock.StartedBy(collected, plan._calendar, plan._supervision)];
        public Guid Id { get; } = id;
        public Issue State { get; private set; } = Issue.Fold([collected]);
        public string Routed => State.UnitId!;

        public void Do(IIssueCommand command, Actor actor, DateTimeOffset at)
        {
            FireChecksDueBy(at);
            var decision = IssueDecider.Decide(State, command, new DecisionContext(actor, at, plan._calendar, plan._references));
            if (decision is not Decision.Appended appended)
                throw new InvalidOperationException($"Seed bug: {command.Kind} refused for issue {Id} in {State.Status}: {decision}");
            if (command.Forbidden(State, actor) is { } forbidden)
                throw new InvalidOperationException($"Seed bug: {actor.ClientName} may not {command.Kind}: {forbidden}");
            foreach (var e in appended.Events) Append(e);
        }

        /// <summary>The handling deadline passes with the work undone: the next act comes at <paramref name="now"/>, after its check fired.</summary>
        public DateTimeOffset MissDeadline(DateTimeOffset now)
        {
            FireChecksDueBy(now);
            return now;
        }

        /// <summary>At the end of the campaign, every check whose time has come has fired.</summary>
        public void Supervise(DateOnly end) => FireChecksDueBy(Clocks.EndOf(end).AddTicks(-1));

        private void Append(IIssueEvent e)
        {
            var before = State;
            _events.Add(e);
            State = Issue.Next(State, e);
            if (e is DeadlineMissed missed)
                plan.Notices.AddRange(Supervision.Notices.For(missed, State).Select(n => Supervision.Notices.Receive(n, null, n.NotifiedAt)!));
            else
                _pending.AddRange(Clocks.StartedBy(e, before, plan._calendar, plan._supervision));
        }

        private DateTimeOffset FiresAt(CheckClock check) => Clocks.EndOf(SupervisionCheck.FiresOn(check, plan._calendar, plan._supervision));

        /// <summary>Plays the scheduled checks due by <paramref name="now"/>, earliest first, each at its own time.</summary>
        private void FireChecksDueBy(DateTimeOffset now)
        {
            while (_pending.Where(c => FiresAt(c) <= now).OrderBy(FiresAt).ThenBy(c => c.Level).FirstOrDefault() is { } check)
            {
                _pending.Remove(check);
                var outcome = SupervisionCheck.Check(State, check, FiresAt(check), plan._calendar, plan._supervision);
                foreach (var e in outcome.Events) Append(e);
                _pending.AddRange(outcome.FollowUps);
            }
        }

        /// <summary>The unit's side received the current routing a few minutes after it was made.</summary>
        public Routing.InboxEntry? Receipt()
        {
            var routed = _events.LastOrDefault(e => e is IssueAssigned or IssueEscalated or IssueRerouted);
            if (routed is null || State.RoutingId is null) return null;
            var unitId = State.UnitId!;
            return Routing.Deliveries.Receive(State, null, unitId, State.RoutingId.Value, routed.OccurredAt, routed.OccurredAt.AddMinutes(5),
                plan._calendar, plan._supervision.AcceptanceWorkingDays);
        }

        public SeedStream ToStream() => new(Id, typeof(Issue), _events.Cast<object>().ToList());
    }
}
