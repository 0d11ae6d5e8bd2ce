namespace Rectify.PersonalData;

/// <summary>
/// How a resident's personal data reads for a role that does not need it (个人信息去标识化): enough to tell two
/// residents apart on a list, not enough to find or call them. Fixed-length masks, so a mask does not reveal
/// how long a name is.
/// </summary>
public static class PersonalDataMasks
{
    public const string Hidden = "**";

    /// <summary>王秀英 → 王**: the family name (first character) is kept.</summary>
    public static string? Name(string? name)
    {
        if (name is null) return null;
        var trimmed = name.Trim();
        if (trimmed.Length == 0) return Hidden;
        // A surrogate pair (a rare character outside the BMP) is one character, not two halves.
        var first = char.IsHighSurrogate(trimmed[0]) && trimmed.Length > 1 ? trimmed[..2] : trimmed[..1];
        return first + Hidden;
    }

    /// <summary>
    /// 13800001234 → 138****1234: the first 3 and last 4 digits are kept (spaces, dashes and a leading + dropped).
    /// A number of fewer than 8 digits would be shown almost whole that way, so it is hidden entirely.
    /// </summary>
    public static string? Phone(string? phone)
    {
        if (phone is null) return null;
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        return digits.Length < 8 ? "****" : digits[..3] + "****" + digits[^4..];
    }

    /// <summary>
    /// 齐村镇齐村 3 号 → 齐村镇齐村****: the address up to its first digit (the place, at most 10 characters) is kept;
    /// house, building and door numbers are hidden.
    /// </summary>
    public static string? Address(string? address)
    {
        if (address is null) return null;
        var trimmed = address.Trim();
        var place = new string(trimmed.TakeWhile(c => !char.IsDigit(c)).Take(10).ToArray()).TrimEnd();
        return place + "****";
    }
}
