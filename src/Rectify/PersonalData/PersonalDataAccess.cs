using Rectify.Identity;
using Rectify.Issues;
using Rectify.ReferenceData;

namespace Rectify.PersonalData;

/// <summary>The resident's name and phone as one read shows them: as recorded, masked, or erased (both null).</summary>
public sealed record ResidentData(string? ResidentName, string? ResidentPhone, bool PersonalDataMasked, bool PersonalDataErased)
{
    public static readonly ResidentData None = new(null, null, false, false);

    /// <summary>Whether this read hands over personal data as recorded, which the access log must record.</summary>
    public bool Disclosed => !PersonalDataMasked && !PersonalDataErased && (ResidentName is not null || ResidentPhone is not null);
}

/// <summary>
/// Who needs a resident's personal data to do the work (个人信息保护法: the minimum necessary): the unit that holds the
/// issue, the issue's town (its office, leadership and visitors, who call the resident back) and the district's
/// supervisors and admins. Everyone else (auditors, other towns and departments, external systems) reads it masked.
/// </summary>
public static class PersonalDataAccess
{
    public static bool SeesUnmasked(Actor actor, Issue issue) => actor.Role switch
    {
        Role.Admin or Role.DistrictSupervisor => true,
        Role.TownOffice or Role.TownLeader or Role.Visitor => actor.TownId == issue.TownId,
        Role.Department => issue.UnitKind == UnitKind.Department && actor.DepartmentId == issue.UnitId,
        _ => false
    };

    /// <summary>What a reader is shown of <paramref name="contact"/>; after an erasure nothing, whoever asks.</summary>
    public static ResidentData Shown(ResidentContact? contact, bool erased, bool unmasked) =>
        erased ? new ResidentData(null, null, false, true)
        : contact is null ? ResidentData.None
        : unmasked ? new ResidentData(contact.Name, contact.Phone, false, false)
        : new ResidentData(PersonalDataMasks.Name(contact.Name), PersonalDataMasks.Phone(contact.Phone), true, false);

    /// <summary>The household address as a reader is shown it: masked only where PersonalData:MaskAddress says so.</summary>
    public static string Address(string address, bool unmasked, PersonalDataOptions options) =>
        unmasked || !options.MaskAddress ? address : PersonalDataMasks.Address(address)!;
}
