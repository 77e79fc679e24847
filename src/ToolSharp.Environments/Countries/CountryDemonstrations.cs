using System.Globalization;
using System.Text.Json;
using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Episodes;

namespace ToolSharp.Environments.Countries;

/// <summary>Writes the tool-using solution of a country question: the calls an agent needs, with the real tool outputs, then <c>Answer: …</c>.</summary>
/// <remarks>
/// Every hop is one call, so a demonstration has as many tool calls as the question has hops: capital, currency,
/// subregion and border count read one <c>lookup_country</c> result; the counts are one <c>search_countries</c>; the
/// largest neighbour is <c>lookup_country</c> then <c>get_borders</c> with the code it returned, and its capital adds
/// a <c>lookup_country</c> of that neighbour.
/// </remarks>
public static class CountryDemonstrations
{
    public static IReadOnlyList<Message> Solve(CountryData data, CountryQuestion question)
    {
        var messages = new List<Message> { Message.User(question.Text) };
        var calls = 0;
        string Call(string tool, object arguments, Func<string> run)
        {
            var call = new ToolCall(tool, JsonValues.Parse(JsonSerializer.Serialize(arguments)), "call_" + (++calls).ToString(CultureInfo.InvariantCulture));
            var output = run();
            messages.Add(Message.Assistant(null, [call]));
            messages.Add(Message.Tool(call.Id, call.Name, output));
            return output;
        }

        var subject = question.Key[(question.Template.Length + 1)..];
        switch (question.Template)
        {
            case "capital" or "currency" or "subregion" or "border_count":
                var country = Subject(data, subject);
                Call(CountryTools.LookupSpec.Name, new { name = country.Name }, () => CountryTools.Lookup(data, country.Name));
                break;
            case "largest_neighbour" or "largest_neighbour_capital":
                var start = Subject(data, subject);
                Call(CountryTools.LookupSpec.Name, new { name = start.Name }, () => CountryTools.Lookup(data, start.Name));
                Call(CountryTools.BordersSpec.Name, new { code = start.Code }, () => CountryTools.Borders(data, start.Code));
                if (question.Template == "largest_neighbour_capital")
                {
                    var largest = CountryQuestions.LargestNeighbour(data, start)!; // the question exists only when it is unique
                    Call(CountryTools.LookupSpec.Name, new { name = largest.Name }, () => CountryTools.Lookup(data, largest.Name));
                }
                break;
            case "language_count":
                var parts = subject.Split('|');
                Call(CountryTools.SearchSpec.Name, new { region = parts[0], language = parts[1] }, () => CountryTools.Search(data, parts[0], parts[1], null));
                break;
            case "currency_count":
                Call(CountryTools.SearchSpec.Name, new { currency = subject }, () => CountryTools.Search(data, null, null, subject));
                break;
            default:
                throw new InvalidOperationException($"countries: no demonstration for template '{question.Template}'");
        }
        messages.Add(Message.Assistant("Answer: " + question.Answer));
        return messages;
    }

    private static Country Subject(CountryData data, string code) =>
        data.ByCode(code) ?? throw new InvalidOperationException($"countries: question subject '{code}' is not in the data");
}
