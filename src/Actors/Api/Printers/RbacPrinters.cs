using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Schema;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.Printers;

/// <summary>
/// pkg/printers/internalversion's printRoleBinding and printClusterRoleBinding: NAME ROLE AGE, with
/// the subjects under -o wide. Roles and cluster roles print as the default NAME CREATED AT.
/// </summary>
public static class RbacPrinters
{
    public static readonly Printer RoleBinding = Binding(typeof(V1RoleBinding), "roleBinding");

    public static readonly Printer ClusterRoleBinding = Binding(typeof(V1ClusterRoleBinding), "clusterRoleBinding");

    private static Printer Binding(Type model, string noun) => new(
        [Column.NameColumn,
         new("Role", model.GetProperty("RoleRef") is { } p ? XmlDocs.Property(p) ?? "" : ""),
         Column.Age,
         new("Users", $"Users in the {noun}", Priority: 1),
         new("Groups", $"Groups in the {noun}", Priority: 1),
         new("ServiceAccounts", $"ServiceAccounts in the {noun}", Priority: 1)],
        (o, now) =>
        [
            KubeObject.Name(o),
            $"{KubeObject.ScalarAt(o, "roleRef.kind")}/{KubeObject.ScalarAt(o, "roleRef.name")}",
            CorePrinters.Age(o, now),
            Subjects(o, "User"),
            Subjects(o, "Group"),
            Subjects(o, "ServiceAccount"),
        ]);

    // rbac.SubjectsStrings: service accounts print as namespace/name when the subject names a namespace.
    private static string Subjects(JsonObject binding, string kind) => string.Join(", ",
        (binding["subjects"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(s => KubeObject.String(s, "kind") == kind)
            .Select(s => kind == "ServiceAccount" && KubeObject.String(s, "namespace") is { Length: > 0 } ns
                ? $"{ns}/{KubeObject.String(s, "name")}"
                : KubeObject.String(s, "name") ?? ""));
}
