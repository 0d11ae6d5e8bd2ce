using Rectify.Identity;

namespace Rectify.ReferenceData;

/// <summary>One item's values through time: each from a day on; a null value means ended from that day.</summary>
public sealed class Track<T> where T : class
{
    private readonly List<(DateOnly From, T? Value)> _versions = [];

    public IReadOnlyList<(DateOnly From, T? Value)> Versions => _versions;

    /// <summary>Later-recorded changes win on the same day; an earlier day is inserted in its place.</summary>
    public void Set(DateOnly from, T? value)
    {
        var at = _versions.FindLastIndex(v => v.From <= from) + 1;
        _versions.Insert(at, (from, value));
    }

    public T? At(DateOnly date)
    {
        for (var i = _versions.Count - 1; i >= 0; i--)
            if (_versions[i].From <= date) return _versions[i].Value;
        return null;
    }

    /// <summary>The value in effect last (future changes included), or null when the item has ended.</summary>
    public T? Latest => _versions.Count == 0 ? null : _versions[^1].Value;
}

/// <summary>One recorded change to reference data, for the history GETs.</summary>
public sealed record ReferenceChange(
    long Version, string Type, string ItemKind, string ItemId, DateOnly EffectiveFrom, string? Reason,
    Actor Actor, DateTimeOffset OccurredAt, object Change);

/// <summary>
/// The reference-data stream folded into tracks per item, from which the data in effect on any day is built.
/// Pure: the cache feeds it the stream's events; decisions read it.
/// </summary>
public sealed class ReferenceTimeline
{
    public sealed class RuleTrack(string id, string categoryId, string? townId)
    {
        public string Id { get; } = id;
        public string CategoryId { get; } = categoryId;
        public string? TownId { get; } = townId;
        public List<RoutingRule> Versions { get; } = [];
        public DateOnly? EndsOn { get; set; }
        public int Version => Versions.Count;
    }

    public long StreamVersion { get; private set; }
    public bool Imported { get; private set; }
    public District District { get; private set; } = new("", "");
    public IReadOnlyList<Category> Categories { get; private set; } = [];

    private readonly List<(string Id, Track<Town> Header)> _towns = [];
    private readonly Dictionary<string, Track<Category>> _categories = new();
    private readonly Dictionary<string, Track<Department>> _departments = new();
    private readonly List<string> _departmentOrder = [];
    private readonly Dictionary<string, (string TownId, Track<TownOffice> Track)> _offices = new();
    private readonly List<string> _officeOrder = [];
    private readonly Dictionary<string, (string TownId, Track<Community> Track)> _communities = new();
    private readonly List<string> _communityOrder = [];
    private readonly Dictionary<string, (string CommunityId, Track<Grid> Track, Track<HouseholdRegister> Register)> _grids = new();
    private readonly List<string> _gridOrder = [];
    private readonly Dictionary<string, RuleTrack> _rules = new();
    private readonly List<string> _ruleOrder = [];
    private readonly HashSet<string> _importedIds = [];
    private readonly List<ReferenceChange> _history = [];

    public IReadOnlyList<ReferenceChange> History => _history;
    public RuleTrack? Rule(string id) => _rules.GetValueOrDefault(id);
    public IEnumerable<RuleTrack> Rules => _ruleOrder.Select(id => _rules[id]);
    public Track<Department>? DepartmentTrack(string id) => _departments.GetValueOrDefault(id);
    public (string TownId, Track<TownOffice> Track)? OfficeTrack(string id) => _offices.TryGetValue(id, out var o) ? o : null;
    public (string CommunityId, Track<Grid> Track, Track<HouseholdRegister> Register)? GridTrack(string id) => _grids.TryGetValue(id, out var g) ? g : null;
    public bool HasTown(string id) => _towns.Any(t => t.Id == id);
    public Track<Town>? TownTrack(string id) => _towns.FirstOrDefault(t => t.Id == id).Header;
    public Track<Category>? CategoryTrack(string id) => _categories.GetValueOrDefault(id);
    public IEnumerable<(string Id, Track<Grid> Track)> GridsOf(string communityId) =>
        _gridOrder.Where(id => _grids[id].CommunityId == communityId).Select(id => (id, _grids[id].Track));
    public (string TownId, Track<Community> Track)? CommunityTrack(string id) => _communities.TryGetValue(id, out var c) ? c : null;

    /// <summary>Whether the id names anything ever recorded (ids are unique across kinds, as in the shipped file).</summary>
    public bool Knows(string id) =>
        _rules.ContainsKey(id) || _departments.ContainsKey(id) || _offices.ContainsKey(id) || _communities.ContainsKey(id) ||
        _grids.ContainsKey(id) || HasTown(id) || Categories.Any(c => c.Id == id);

    public static ReferenceTimeline Of(IEnumerable<(long Version, object Data)> events)
    {
        var timeline = new ReferenceTimeline();
        foreach (var (version, data) in events) timeline.Apply(version, data);
        return timeline;
    }

    public void Apply(long version, object e)
    {
        StreamVersion = version;
        switch (e)
        {
            case ReferenceDataImported i: Import(version, i); break;
            case RoutingRuleAdded a:
            {
                var track = new RuleTrack(a.RuleId, a.CategoryId, a.TownId);
                track.Versions.Add(new RoutingRule(a.RuleId, a.EffectiveFrom, a.CategoryId, a.TownId, a.OfficeKind, a.DepartmentId));
                _rules[a.RuleId] = track;
                _ruleOrder.Add(a.RuleId);
                Record(version, "routing-rule-added", "routing-rule", a.RuleId, a.EffectiveFrom, a.Reason, a.Actor, a.OccurredAt, a);
                break;
            }
            case RoutingRuleChanged c:
            {
                var track = _rules[c.RuleId];
                track.Versions.Add(new RoutingRule(c.RuleId, c.EffectiveFrom, track.CategoryId, track.TownId, c.OfficeKind, c.DepartmentId, c.Version));
                Record(version, "routing-rule-changed", "routing-rule", c.RuleId, c.EffectiveFrom, c.Reason, c.Actor, c.OccurredAt, c);
                break;
            }
            case RoutingRuleEnded x:
                _rules[x.RuleId].EndsOn = x.EffectiveFrom;
                Record(version, "routing-rule-ended", "routing-rule", x.RuleId, x.EffectiveFrom, x.Reason, x.Actor, x.OccurredAt, x);
                break;
            case UnitAdded u:
                if (u.UnitKind == UnitKind.Department)
                {
                    _departments[u.UnitId] = new Track<Department>();
                    _departments[u.UnitId].Set(u.EffectiveFrom, new Department(u.UnitId, u.Name, u.NameEn, u.Kind));
                    _departmentOrder.Add(u.UnitId);
                }
                else
                {
                    var track = new Track<TownOffice>();
                    track.Set(u.EffectiveFrom, new TownOffice(u.UnitId, u.Name, u.NameEn, u.Kind));
                    _offices[u.UnitId] = (u.TownId!, track);
                    _officeOrder.Add(u.UnitId);
                }
                Record(version, "unit-added", "unit", u.UnitId, u.EffectiveFrom, u.Reason, u.Actor, u.OccurredAt, u);
                break;
            case UnitRenamed r:
                if (_departments.TryGetValue(r.UnitId, out var department))
                    department.Set(r.EffectiveFrom, (department.At(r.EffectiveFrom) ?? department.Versions.Last(v => v.Value is not null).Value!) with { Name = r.Name, NameEn = r.NameEn });
                else
                {
                    var office = _offices[r.UnitId].Track;
                    office.Set(r.EffectiveFrom, (office.At(r.EffectiveFrom) ?? office.Versions.Last(v => v.Value is not null).Value!) with { Name = r.Name, NameEn = r.NameEn });
                }
                Record(version, "unit-renamed", "unit", r.UnitId, r.EffectiveFrom, r.Reason, r.Actor, r.OccurredAt, r);
                break;
            case UnitEnded x:
                if (_departments.TryGetValue(x.UnitId, out var ended)) ended.Set(x.EffectiveFrom, null);
                else _offices[x.UnitId].Track.Set(x.EffectiveFrom, null);
                Record(version, "unit-ended", "unit", x.UnitId, x.EffectiveFrom, x.Reason, x.Actor, x.OccurredAt, x);
                break;
            case CommunityAdded c:
            {
                var track = new Track<Community>();
                track.Set(c.EffectiveFrom, new Community(c.CommunityId, c.Name, []));
                _communities[c.CommunityId] = (c.TownId, track);
                _communityOrder.Add(c.CommunityId);
                Record(version, "community-added", "community", c.CommunityId, c.EffectiveFrom, c.Reason, c.Actor, c.OccurredAt, c);
                break;
            }
            case GridAdded g:
            {
                var track = new Track<Grid>();
                track.Set(g.EffectiveFrom, new Grid(g.GridId, g.Name, 0));
                var register = new Track<HouseholdRegister>();
                register.Set(g.EffectiveFrom, g.Register);
                _grids[g.GridId] = (g.CommunityId, track, register);
                _gridOrder.Add(g.GridId);
                Record(version, "grid-added", "grid", g.GridId, g.EffectiveFrom, g.Reason, g.Actor, g.OccurredAt,
                    new { g.GridId, g.CommunityId, g.Name, Households = g.Register.Count });
                break;
            }
            case GridHouseholdsChanged h:
                _grids[h.GridId].Register.Set(h.EffectiveFrom, h.Register);
                Record(version, "grid-households-changed", "grid", h.GridId, h.EffectiveFrom, h.Reason, h.Actor, h.OccurredAt,
                    new { h.GridId, h.Source, Households = h.Register.Count, Generated = h.Register.Generated, Listed = h.Register.Listed.Count });
                break;
            case TownRenamed t:
            {
                var track = TownTrack(t.TownId)!;
                track.Set(t.EffectiveFrom, track.At(t.EffectiveFrom)! with { Name = t.Name, NameEn = t.NameEn });
                Record(version, "town-renamed", "town", t.TownId, t.EffectiveFrom, t.Reason, t.Actor, t.OccurredAt, t);
                break;
            }
            case CommunityRenamed r:
            {
                var track = _communities[r.CommunityId].Track;
                track.Set(r.EffectiveFrom, track.At(r.EffectiveFrom)! with { Name = r.Name });
                Record(version, "community-renamed", "community", r.CommunityId, r.EffectiveFrom, r.Reason, r.Actor, r.OccurredAt, r);
                break;
            }
            case CommunityEnded x:
                _communities[x.CommunityId].Track.Set(x.EffectiveFrom, null);
                Record(version, "community-ended", "community", x.CommunityId, x.EffectiveFrom, x.Reason, x.Actor, x.OccurredAt, x);
                break;
            case GridRenamed r:
            {
                var track = _grids[r.GridId].Track;
                track.Set(r.EffectiveFrom, track.At(r.EffectiveFrom)! with { Name = r.Name });
                Record(version, "grid-renamed", "grid", r.GridId, r.EffectiveFrom, r.Reason, r.Actor, r.OccurredAt, r);
                break;
            }
            case GridEnded x:
                _grids[x.GridId].Track.Set(x.EffectiveFrom, null);
                Record(version, "grid-ended", "grid", x.GridId, x.EffectiveFrom, x.Reason, x.Actor, x.OccurredAt, x);
                break;
            case CategoryLeadChanged l:
            {
                var track = _categories[l.CategoryId];
                track.Set(l.EffectiveFrom, track.At(l.EffectiveFrom)! with { LeadDepartmentId = l.DepartmentId });
                Record(version, "category-lead-changed", "category", l.CategoryId, l.EffectiveFrom, l.Reason, l.Actor, l.OccurredAt, l);
                break;
            }
            case HouseholdRegisteredOnSpot s:
            {
                // Added to every register version from that day on, so a later-dated replacement is not undone.
                var register = _grids[s.GridId].Register;
                var household = new Household(s.HouseholdId, s.Address, RegisteredOnSpot: true);
                var current = register.At(s.EffectiveFrom) ?? HouseholdRegister.Of(0);
                var later = register.Versions.Where(v => v.From > s.EffectiveFrom).ToList();
                register.Set(s.EffectiveFrom, current.Contains(s.HouseholdId) ? current : current.With(household));
                foreach (var (from, value) in later)
                    if (value is not null && !value.Contains(s.HouseholdId)) register.Set(from, value.With(household));
                Record(version, "household-registered-on-spot", "grid", s.GridId, s.EffectiveFrom, "registered at a visit", s.Actor, s.OccurredAt, s);
                break;
            }
        }
    }

    private void Record(long version, string type, string kind, string id, DateOnly from, string? reason, Actor actor, DateTimeOffset at, object change) =>
        _history.Add(new ReferenceChange(version, type, kind, id, from, reason, actor, at, change));

    private void Import(long version, ReferenceDataImported e)
    {
        var file = e.Data;
        Imported = true;
        District = file.District;
        Categories = file.Categories;
        var start = DateOnly.MinValue;
        foreach (var c in file.Categories)
        {
            _categories[c.Id] = new Track<Category>();
            _categories[c.Id].Set(start, c);
            _importedIds.Add(c.Id);
        }
        foreach (var d in file.Departments)
        {
            _departments[d.Id] = new Track<Department>();
            _departments[d.Id].Set(start, d);
            _departmentOrder.Add(d.Id);
            _importedIds.Add(d.Id);
        }

        foreach (var t in file.Towns)
        {
            var town = new Track<Town>();
            town.Set(start, t with { Offices = [], Communities = [] });
            _towns.Add((t.Id, town));
            _importedIds.Add(t.Id);
            foreach (var o in t.Offices)
            {
                var track = new Track<TownOffice>();
                track.Set(start, o);
                _offices[o.Id] = (t.Id, track);
                _officeOrder.Add(o.Id);
                _importedIds.Add(o.Id);
            }

            foreach (var c in t.Communities)
            {
                var track = new Track<Community>();
                track.Set(start, c with { Grids = [] });
                _communities[c.Id] = (t.Id, track);
                _communityOrder.Add(c.Id);
                _importedIds.Add(c.Id);
                foreach (var g in c.Grids)
                {
                    var grid = new Track<Grid>();
                    grid.Set(start, g with { Households = 0 });
                    var register = new Track<HouseholdRegister>();
                    register.Set(start, HouseholdRegister.Of(g.Households));
                    _grids[g.Id] = (c.Id, grid, register);
                    _gridOrder.Add(g.Id);
                    _importedIds.Add(g.Id);
                }
            }
        }

        foreach (var r in file.RoutingRules ?? [])
        {
            var track = new RuleTrack(r.Id, r.CategoryId, r.TownId);
            track.Versions.Add(r with { Version = 1, EffectiveTo = null });
            _rules[r.Id] = track;
            _ruleOrder.Add(r.Id);
            _importedIds.Add(r.Id);
        }

        Record(version, "reference-data-imported", "district", file.District.Id, start, $"initial import of {e.Source}", e.Actor, e.OccurredAt,
            new
            {
                e.Source, e.Sha256, Towns = file.Towns.Count, Departments = file.Departments.Count, RoutingRules = file.RoutingRules?.Count ?? 0,
                Households = file.Towns.Sum(t => t.Communities.Sum(c => c.Grids.Sum(g => g.Households)))
            });
    }

    /// <summary>The changes to one item, the import first when the item came with it.</summary>
    public IReadOnlyList<ReferenceChange> HistoryOf(string kind, string id)
    {
        var rows = new List<ReferenceChange>();
        if (_importedIds.Contains(id) && _history.FirstOrDefault(h => h.Type == "reference-data-imported") is { } import)
            rows.Add(import with { ItemKind = kind, ItemId = id });
        rows.AddRange(_history.Where(h => h.ItemKind == kind && h.ItemId == id));
        return rows;
    }

    /// <summary>Every version of every rule, each closed by the next version or the rule's end.</summary>
    public IReadOnlyList<RoutingRule> AllRuleVersions() =>
        Rules.SelectMany(track => track.Versions.Select((v, i) =>
        {
            var next = i + 1 < track.Versions.Count ? track.Versions[i + 1].EffectiveFrom : (DateOnly?)null;
            var to = (next, track.EndsOn) switch
            {
                ({ } n, { } e) => n < e ? n : e,
                ({ } n, null) => n,
                (null, var e) => e
            };
            return v with { EffectiveTo = to };
        })).Where(v => v.EffectiveTo is null || v.EffectiveTo > v.EffectiveFrom).ToList();

    /// <summary>The reference data in effect on a day: units and grids of that day, every rule version (routing picks by date).</summary>
    public DistrictReferenceData AsOf(DateOnly date)
    {
        var departments = _departmentOrder.Select(id => _departments[id].At(date)).OfType<Department>().ToList();
        var registers = new Dictionary<string, HouseholdRegister>();
        var towns = _towns.Select(t => t.Header.At(date)! with
        {
            Offices = _officeOrder.Where(id => _offices[id].TownId == t.Id).Select(id => _offices[id].Track.At(date)).OfType<TownOffice>().ToList(),
            Communities = _communityOrder.Where(id => _communities[id].TownId == t.Id)
                .Select(id => _communities[id].Track.At(date)).OfType<Community>()
                .Select(c => c with
                {
                    Grids = _gridOrder.Where(id => _grids[id].CommunityId == c.Id)
                        .Select(id =>
                        {
                            var (_, grid, register) = _grids[id];
                            if (grid.At(date) is not { } g) return null;
                            var households = register.At(date) ?? HouseholdRegister.Of(0);
                            registers[id] = households;
                            return g with { Households = households.Count };
                        }).OfType<Grid>().ToList()
                }).ToList()
        }).ToList();
        var categories = Categories.Select(c => _categories.TryGetValue(c.Id, out var track) ? track.At(date) ?? c : c).ToList();
        return DistrictReferenceData.Of(date, District, categories, departments, towns, AllRuleVersions(), registers);
    }
}
