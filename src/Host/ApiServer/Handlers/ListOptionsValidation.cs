using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Store;

namespace Akka.KubeEmu.Host.ApiServer.Handlers;

/// <summary>
/// The options of a list (not a watch: see WatchOptions) checked as apimachinery's
/// ValidateListOptions checks them, a 422 on meta.k8s.io ListOptions.
/// </summary>
public static class ListOptionsValidation
{
    public static ApiStatus? Check(HttpRequest r)
    {
        var q = r.Query;
        var match = q["resourceVersionMatch"].ToString();
        var rv = q["resourceVersion"].ToString();
        var errors = new List<FieldError>();
        if (match.Length > 0)
        {
            if (rv.Length == 0)
                errors.Add(FieldError.ForbiddenField("resourceVersionMatch", "resourceVersionMatch is forbidden unless resourceVersion is provided"));
            if (q["continue"].ToString().Length > 0)
                errors.Add(FieldError.ForbiddenField("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"));
            if (match is not (ListRead.Exact or ListRead.NotOlderThan))
                errors.Add(FieldError.Unsupported("resourceVersionMatch", match, [ListRead.Exact, ListRead.NotOlderThan, ""]));
            if (match == ListRead.Exact && rv == "0")
                errors.Add(FieldError.ForbiddenField("resourceVersionMatch", "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
        }
        if (q.ContainsKey("sendInitialEvents"))
            errors.Add(FieldError.ForbiddenField("sendInitialEvents", "sendInitialEvents is forbidden for list"));
        return errors.Count == 0 ? null : ApiStatus.Invalid("meta.k8s.io", "ListOptions", "", errors);
    }
}
