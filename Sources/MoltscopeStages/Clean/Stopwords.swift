/// Short lists of the most frequent function words of the Latin-script languages the language
/// guesser tells apart. Shared words (`de`, `la`, `a`) count for every language that has them;
/// the distinctive ones decide.
enum Stopwords {
    static let lists: [(language: String, words: Set<String>)] = [
        ("en", words("""
            the and of to is in that it for you are was with on as this be at by not have but from or they we an \
            which their what will would there can all your my has been if about more when do just so our me like \
            how i its were them than then also these those because into who very here
            """)),
        ("es", words("""
            el la los las de del y que en un una es por con para como pero más mas este esta está son fue muy \
            también hay sus su yo porque cuando sobre entre sin todo ya lo le se al no mi tu nos ni o qué cómo \
            puede ser tiene hace sí eso esto ella ellos estoy estamos
            """)),
        ("pt", words("""
            o a os as de do da dos das e que em um uma é não para com por mas mais isso este esta está são foi \
            muito também há seu sua eu porque quando sobre entre sem tudo já no na nos nas pelo pela você ao se \
            me meu minha ele ela eles como ou ser tem fazer isto aqui então
            """)),
        ("fr", words("""
            le la les de des du un une et est en que qui dans pour pas sur au aux avec ce cette il elle nous vous \
            ils je mais ou son sa ses ne plus par sont être avoir fait très aussi comme tout c l d qu j n \
            leur mon ma mes ton on y été était ça cela donc
            """)),
        ("de", words("""
            der die das und ist nicht ein eine zu den mit von sich des auf für im dem auch es an als wie aber oder \
            wenn noch nur ich du wir sie bei aus nach einen einem einer sind hat wird kann über dass mehr schon \
            sehr mein meine ihr uns war habe haben doch diese dieser
            """)),
        ("it", words("""
            il lo la i gli le di del della dei delle che e è un una per non in con su da come ma anche più sono \
            questo questa molto mi ti si ci io tu noi voi loro al alla nel nella se perché quando cosa sia ho \
            hai ha essere fare tutto ancora
            """)),
        ("nl", words("""
            de het een en van ik te dat die in is niet op aan met als voor er maar om zijn ook dan of wat nog \
            bij uit naar hoe wel geen kan heeft deze worden door mijn jij wij zo je we hebben was veel
            """)),
        ("id", words("""
            yang dan di ke dari ini itu dengan untuk tidak ada akan pada juga saya kami kita mereka dia atau \
            karena sudah bisa lebih adalah dalam oleh seperti jika tetapi hanya sangat apa belum banyak semua \
            harus masih agar aku kamu anda telah
            """)),
        ("tr", words("""
            ve bir bu da de için ile çok ama gibi daha ne ben sen o biz siz onlar var yok değil mi mı mu mü ki \
            her şey olarak kadar sonra en diye nasıl neden çünkü veya ya şu olan bunu benim bana
            """)),
        ("pl", words("""
            i w z na się nie to że do jest jak ale po co tak za od o już jego jej ich tylko czy przez dla może \
            być są mnie mi ten ta te tego bardzo także kiedy gdzie który która które jestem ze jako
            """)),
        ("sv", words("""
            och i att det som en på är av för med till den har de inte om ett men jag du vi han hon var så kan \
            från när eller vad alla mycket också skulle här där hur än bara detta mig sig
            """)),
        ("vi", words("""
            và của là có không được những một các trong cho với người này đã để khi từ đến tôi bạn chúng thì \
            như cũng nhưng rất sẽ vì ở lại ra làm nó gì mình đó nhiều
            """)),
    ]

    private static func words(_ text: String) -> Set<String> {
        Set(text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
    }
}
