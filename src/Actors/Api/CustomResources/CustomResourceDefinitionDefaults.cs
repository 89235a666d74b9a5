using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.CustomResources;

/// <summary>apiextensions/v1 SetDefaults_CustomResourceDefinitionSpec: singular, listKind, conversion None.</summary>
public static class CustomResourceDefinitionDefaults
{
    public static void Apply(JsonObject crd)
    {
        if (crd["spec"] is not JsonObject spec) return;
        if (spec["names"] is JsonObject names && KubeObject.String(names, "kind") is { Length: > 0 } kind)
        {
            if (string.IsNullOrEmpty(KubeObject.String(names, "singular"))) names["singular"] = kind.ToLowerInvariant();
            if (string.IsNullOrEmpty(KubeObject.String(names, "listKind"))) names["listKind"] = kind + "List";
        }
        if (spec["conversion"] is not JsonObject) spec["conversion"] = new JsonObject { ["strategy"] = "None" };
    }
}
