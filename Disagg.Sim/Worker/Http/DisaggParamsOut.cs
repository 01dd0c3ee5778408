using System.Buffers;
using System.Text;
using System.Text.Json;
using Disagg.Sim.Common;

namespace Disagg.Sim.Worker.Http;

/// <summary>The disaggregated_params a context server returns so the generation server can continue.</summary>
internal sealed record DisaggParamsOut(long CtxRequestId, int FirstGenToken, string EncodedOpaqueState, long? DisaggRequestId);
