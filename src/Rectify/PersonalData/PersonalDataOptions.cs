namespace Rectify.PersonalData;

/// <summary>Settings under PersonalData (appsettings or PersonalData__MaskAddress).</summary>
public sealed class PersonalDataOptions
{
    public const string Section = "PersonalData";

    /// <summary>Mask the household address too, for roles that see the resident's name and phone masked. Off by default.</summary>
    public bool MaskAddress { get; set; }
}
