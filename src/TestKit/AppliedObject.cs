namespace Akka.KubeEmu.TestKit;

/// <summary>One object of an applied manifest; prints as kubectl does (deployment.apps/nginx-deployment created).</summary>
public sealed record AppliedObject(string Kind, string? Namespace, string Name, bool Created)
{
    public override string ToString() => $"{Kind}/{Name} {(Created ? "created" : "replaced")}";
}
