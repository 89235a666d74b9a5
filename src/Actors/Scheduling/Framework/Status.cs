namespace Akka.KubeEmu.Actors.Scheduling.Framework;

/// <summary>The codes of framework.Status that filters return.</summary>
public enum Code
{
    Success,
    /// <summary>The node does not fit now but might after preemption or other pods leave.</summary>
    Unschedulable,
    /// <summary>The node cannot fit whatever happens to other pods (taints, affinity, unschedulable).</summary>
    UnschedulableAndUnresolvable,
}

/// <summary>A filter's verdict on one node, with the reasons counted in FailedScheduling messages.</summary>
public sealed record FilterStatus(Code Code, IReadOnlyList<string> Reasons)
{
    public static readonly FilterStatus Success = new(Code.Success, []);

    public bool IsSuccess => Code == Code.Success;

    public static FilterStatus Unschedulable(params string[] reasons) => new(Code.Unschedulable, reasons);

    public static FilterStatus Unresolvable(params string[] reasons) => new(Code.UnschedulableAndUnresolvable, reasons);
}
