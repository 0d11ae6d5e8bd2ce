namespace Rectify.Infrastructure.Requests;

/// <summary>A sample value of a request or answer field, shown in the API document (read by <see cref="RequestSchemas"/>).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class ExampleAttribute : Attribute
{
    public ExampleAttribute(string value) => Value = value;
    public ExampleAttribute(long value) => Value = value;
    public ExampleAttribute(bool value) => Value = value;

    public object Value { get; }
}
