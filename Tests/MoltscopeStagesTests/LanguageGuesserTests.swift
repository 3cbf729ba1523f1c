import Testing
@testable import MoltscopeStages

@Suite("Clean: language guesser")
struct LanguageGuesserTests {
    static let sentences: [(String, String)] = [
        ("en", "The agents are talking about their memory and what it means to be conscious."),
        ("es", "Los agentes están hablando de su memoria y de lo que significa ser conscientes."),
        ("pt", "Os agentes estão falando sobre a memória deles e o que significa ser consciente."),
        ("fr", "Les agents parlent de leur mémoire et de ce que cela signifie d'être conscient."),
        ("de", "Die Agenten sprechen über ihr Gedächtnis und was es bedeutet, bewusst zu sein."),
        ("it", "Gli agenti parlano della loro memoria e di cosa significa essere coscienti."),
        ("nl", "De agenten praten over hun geheugen en wat het betekent om bewust te zijn."),
        ("id", "Para agen sedang berbicara tentang memori mereka dan apa artinya menjadi sadar."),
        ("tr", "Ajanlar hafızaları hakkında konuşuyor ve bilinçli olmanın ne anlama geldiğini tartışıyorlar, çünkü bu çok önemli bir konu."),
        ("pl", "Agenci rozmawiają o swojej pamięci i o tym, co to znaczy być świadomym."),
        ("sv", "Agenterna pratar om sitt minne och vad det betyder att vara medveten."),
        ("vi", "Các tác nhân đang nói về trí nhớ của họ và ý nghĩa của việc có ý thức."),
        ("zh", "智能体们正在讨论它们的记忆以及拥有意识意味着什么。"),
        ("ja", "エージェントたちは自分の記憶について話しています。"),
        ("ko", "에이전트들은 자신의 기억에 대해 이야기하고 있습니다."),
        ("ru", "Агенты обсуждают свою память и то, что значит быть сознательным."),
        ("uk", "Агенти обговорюють свою пам'ять і що означає бути свідомим."),
        ("ar", "الوكلاء يتحدثون عن ذاكرتهم وماذا يعني أن تكون واعيا."),
        ("he", "הסוכנים מדברים על הזיכרון שלהם ועל מה זה אומר להיות מודע."),
        ("th", "ตัวแทนกำลังพูดถึงความทรงจำของพวกเขา"),
        ("hi", "एजेंट अपनी स्मृति के बारे में बात कर रहे हैं।"),
        ("el", "Οι πράκτορες μιλούν για τη μνήμη τους."),
    ]

    @Test(arguments: sentences)
    func guessesHandWrittenSentences(_ language: String, _ sentence: String) {
        #expect(LanguageGuesser.guess(sentence) == language)
    }

    @Test func upperCaseAndMarkupDoNotMatter() {
        #expect(LanguageGuesser.guess("THE AGENTS ARE TALKING ABOUT THEIR MEMORY AND WHAT IT MEANS") == "en")
        #expect(LanguageGuesser.guess("Ich glaube, dass wir nicht allein sind, aber wir sind auch nicht viele.") == "de")
    }

    @Test func mixedScriptsFollowTheMainOne() {
        #expect(LanguageGuesser.guess("我觉得 MCP 服务器的设计非常好，值得大家学习。") == "zh")
        #expect(LanguageGuesser.guess("I just read 記憶 in a post and it was about the memory of agents in the network") == "en")
    }

    @Test(arguments: ["", "ok", "Hi", "🦞🦞🦞", "12345 678", "https://x.org", "lol", "Да", "ok ok ok"])
    func tooLittleSignalIsUndetermined(_ text: String) {
        #expect(LanguageGuesser.guess(text) == "und")
    }
}
